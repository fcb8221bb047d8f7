package web

import (
	"context"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/domain"
)

// Authenticator turns a bearer token into the principal it stands for (the
// HTTP layer gives the catalog's, with the admin token it knows).
type Authenticator func(ctx context.Context, token string) (domain.Principal, error)

// Fields of the save form, posted to the path finder's URL (its query
// string carries the request).
const (
	saveName        = "nom"
	saveDescription = "description"
	saveToken       = "jeton"
	saveDraft       = "brouillon"
	maxSaveName     = 300
	maxSaveBody     = 16 << 10
)

// savePath answers POST /parcours/trouver: it computes the path the query
// string describes, as GET does, and writes it as a parcours through the
// catalog (a write: the form carries a token). A parcours is saved as a
// draft unless the form says otherwise.
func (s *Site) savePath(w http.ResponseWriter, r *http.Request, lang string) error {
	const op = "web.savePath"
	if s.cfg.Paths == nil {
		return domain.Errorf(op, domain.KindUnavailable, "%s", s.msgs.T(lang, "pathfinder.unavailable"))
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxSaveBody)
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(op, domain.KindInvalid, "%s", s.msgs.T(lang, "save.form"))
	}
	name := strings.TrimSpace(r.PostForm.Get(saveName))
	desc := strings.TrimSpace(r.PostForm.Get(saveDescription))
	var fields []domain.FieldError
	if name == "" || utf8.RuneCountInString(name) > maxSaveName {
		fields = append(fields, domain.FieldError{Path: s.msgs.T(lang, "save.name"), Message: s.msgs.T(lang, "save.name.bad", maxSaveName)})
	}
	if utf8.RuneCountInString(desc) > 10*maxSaveName {
		fields = append(fields, domain.FieldError{Path: s.msgs.T(lang, "save.description"), Message: s.msgs.T(lang, "save.description.bad", 10*maxSaveName)})
	}
	if len(fields) > 0 {
		return &domain.Error{Op: op, Kind: domain.KindInvalid, Message: s.msgs.T(lang, "save.invalid"), Fields: fields}
	}
	token := strings.TrimSpace(r.PostForm.Get(saveToken))
	if token == "" || s.auth == nil {
		return domain.Errorf(op, domain.KindUnauthorized, "%s", s.msgs.T(lang, "save.token"))
	}
	p, err := s.auth(r.Context(), token)
	if err != nil {
		return err
	}
	var v pathfinderView
	req, submitted := s.parsePath(lang, r.URL.Query(), &v)
	if !submitted {
		return domain.Errorf(op, domain.KindInvalid, "%s", s.msgs.T(lang, "save.notarget"))
	}
	req.WithDrafts = !p.IsAnonymous()
	rec, err := s.cfg.Paths.Recommend(r.Context(), req)
	if err != nil {
		return err
	}
	doc, err := rec.ParcoursDocument(name, desc, time.Now(), s.cat.BaseIRI()) // attributed to the service, as POST /recommendations/parcours does
	if err != nil {
		return err
	}
	// the form sends brouillon=0 always and brouillon=1 when the box is
	// ticked; a post without the field saves a draft
	marks := r.PostForm[saveDraft]
	draft := len(marks) == 0 || contains(marks, "1")
	recs, err := s.cat.Write(r.Context(), p, catalog.WriteRequest{Body: doc, Collection: domain.Paths, Draft: draft, Lang: lang})
	if err != nil {
		return err
	}
	pg := s.newPage(lang, "pathfinder", s.msgs.T(lang, "save.done"), "")
	pg.Main = savedView{Link: Link{Href: s.href(lang, recs[0].IRI), Text: name}, IRI: recs[0].IRI, Draft: draft,
		Back: pagePath(lang, "pathfinder") + queryPart(r.URL.RawQuery)}
	return s.render(w, r, http.StatusCreated, "saved", pg)
}

// savedView confirms a saved parcours.
type savedView struct {
	Link  Link
	IRI   string
	Draft bool
	Back  string
}
