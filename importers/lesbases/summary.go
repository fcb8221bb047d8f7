package lesbases

import (
	"fmt"
	"io"
	"sort"
	"time"
)

// Summary says what a harvest did. It is printed at the end of every run,
// as text or (with --json) as this JSON object.
type Summary struct {
	Site      string    `json:"site"`
	Started   time.Time `json:"started"`
	Seconds   float64   `json:"seconds"`
	New       int       `json:"new"`
	Updated   int       `json:"updated"`
	Unchanged int       `json:"unchanged"`
	Removed   int       `json:"removed"`
	Failed    []Failure `json:"failed"`
	Notes     []Note    `json:"notes,omitempty"`
	Requests  int       `json:"requests"`
	Retries   int       `json:"retries"`
	// Listed counts the items of each list; Visible those public, published
	// and not deleted.
	Listed  map[Kind]int `json:"listed"`
	Visible map[Kind]int `json:"visible"`
	// Refused explains a run that was refused: another harvest of the site
	// holds the lease (Lease is that run's lease: who, since and until
	// when), or the mass-delete guard stopped it. Error explains a run that
	// failed. Either way nothing was written.
	Refused string `json:"refused,omitempty"`
	Lease   *Lease `json:"lease,omitempty"`
	Error   string `json:"error,omitempty"`
}

// Failure is an item the run reported and skipped.
type Failure struct {
	Kind   Kind   `json:"kind"`
	ID     string `json:"id"`
	URL    string `json:"url"`
	Reason string `json:"reason"`
}

// Note is something the parser could not map in an item that was imported
// anyway (an unknown facet value, an old theme dropped in 2025).
type Note struct {
	Kind Kind   `json:"kind"`
	ID   string `json:"id"`
	Note string `json:"note"`
}

// WriteText prints the summary for people.
func (s *Summary) WriteText(w io.Writer) {
	switch {
	case s.Refused != "":
		fmt.Fprintf(w, "REFUSED: %s\nNothing was changed.\n", s.Refused)
	case s.Error != "":
		fmt.Fprintf(w, "FAILED: %s\nNothing was changed by this run.\n", s.Error)
	}
	fmt.Fprintf(w, "Les Bases %s: %d new, %d updated, %d unchanged, %d removed, %d failed; %d requests (%d retries) in %.1f s\n",
		s.Site, s.New, s.Updated, s.Unchanged, s.Removed, len(s.Failed), s.Requests, s.Retries, s.Seconds)
	if len(s.Listed) > 0 {
		fmt.Fprintf(w, "listed: %d bases (%d visible), %d resources (%d visible)\n",
			s.Listed[BaseKind], s.Visible[BaseKind], s.Listed[ResourceKind], s.Visible[ResourceKind])
	}
	for _, f := range s.Failed {
		fmt.Fprintf(w, "  failed %s %s (%s): %s\n", f.Kind, f.ID, f.URL, f.Reason)
	}
	if len(s.Notes) > 0 {
		fmt.Fprintf(w, "%d notes on imported items:\n", len(s.Notes))
		for i, n := range s.Notes {
			if i == 20 {
				fmt.Fprintf(w, "  … and %d more (see --json)\n", len(s.Notes)-20)
				break
			}
			fmt.Fprintf(w, "  %s %s: %s\n", n.Kind, n.ID, n.Note)
		}
	}
}

func (s *Summary) sortLists() {
	sort.Slice(s.Failed, func(i, j int) bool {
		if s.Failed[i].Kind != s.Failed[j].Kind {
			return s.Failed[i].Kind < s.Failed[j].Kind
		}
		return s.Failed[i].ID < s.Failed[j].ID
	})
	sort.SliceStable(s.Notes, func(i, j int) bool { return s.Notes[i].ID < s.Notes[j].ID })
}
