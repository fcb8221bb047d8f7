package lesbases

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/url"
	"strings"
	"time"
)

// Kind is what a listed item is.
type Kind string

// Item kinds.
const (
	ResourceKind Kind = "resource"
	BaseKind     Kind = "base"
)

// Item is one entry of GET /api/v1/resources or /api/v1/bases. Title and
// URL are null for items that are not publicly visible.
type Item struct {
	ID        string  `json:"id"`
	Slug      string  `json:"slug"`
	Title     *string `json:"title"`
	Created   string  `json:"created"`
	Updated   string  `json:"updated"`
	Deleted   *string `json:"deleted"`
	IsPublic  bool    `json:"is_public"`
	Published *string `json:"published"` // resources only
	URL       *string `json:"url"`
	// BaseID is the id of the base a resource belongs to. The v1 API does
	// not publish it today; when it does, the resource's publisher is set.
	BaseID string `json:"base_id,omitempty"`
}

// Visible reports whether an item of kind k is public, published (for
// resources) and not deleted: the rule of the reference harvester.
func (it Item) Visible(k Kind) bool {
	if it.Deleted != nil || !it.IsPublic {
		return false
	}
	return k == BaseKind || it.Published != nil
}

// list is the body of both list endpoints.
type list struct {
	Data []Item `json:"data"`
}

// parseList reads a list answer. It refuses anything but a JSON object with
// a "data" array (an HTML error page served with 200, a truncated body) and
// items without id, slug or a parsable updated date.
func parseList(what string, resp *Response) ([]Item, error) {
	mt, _, _ := mime.ParseMediaType(resp.ContentType)
	if mt != "" && mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		return nil, fmt.Errorf("%s answered %s instead of JSON (%q): is the base URL right, or is Les Bases showing an error page?", what, mt, snippet(resp.Body))
	}
	var l list
	if err := json.Unmarshal(resp.Body, &l); err != nil {
		return nil, fmt.Errorf("%s is not the expected JSON: %v (%q)", what, err, snippet(resp.Body))
	}
	if l.Data == nil {
		return nil, fmt.Errorf("%s has no \"data\" array (%q)", what, snippet(resp.Body))
	}
	seen := map[string]bool{}
	for i, it := range l.Data {
		if it.ID == "" || it.Slug == "" {
			return nil, fmt.Errorf("%s: item %d has no id or slug", what, i)
		}
		if _, err := time.Parse(time.RFC3339Nano, it.Updated); err != nil {
			return nil, fmt.Errorf("%s: item %s has an unreadable updated date %q", what, it.ID, it.Updated)
		}
		if seen[it.ID] {
			return nil, fmt.Errorf("%s: item %s is listed twice", what, it.ID)
		}
		seen[it.ID] = true
	}
	return l.Data, nil
}

// pagePath is the path of an item's page on Les Bases.
func pagePath(k Kind) string {
	if k == BaseKind {
		return "/bases/"
	}
	return "/ressources/"
}

// pageURL returns the item's published URL, or the one its slug gives under
// site when the list has none.
func pageURL(site string, k Kind, it Item) string {
	if it.URL != nil && *it.URL != "" {
		return *it.URL
	}
	return strings.TrimSuffix(site, "/") + pagePath(k) + url.PathEscape(it.Slug)
}

// markdownURL is where the harvester fetches an item's markdown: {url}/markdown
// when the item's URL is on the harvested site, and the site's own
// /ressources/{slug}/markdown otherwise, so a list can never make the
// harvester fetch from another host.
func markdownURL(site string, k Kind, it Item) string {
	page := pageURL(site, k, it)
	pu, err1 := url.Parse(page)
	su, err2 := url.Parse(site)
	if err1 != nil || err2 != nil || pu.Scheme != su.Scheme || pu.Host != su.Host {
		page = strings.TrimSuffix(site, "/") + pagePath(k) + url.PathEscape(it.Slug)
	}
	return strings.TrimSuffix(page, "/") + "/markdown"
}
