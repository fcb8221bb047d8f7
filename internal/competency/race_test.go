package competency

import (
	"context"
	"sync"
	"testing"
)

// Queries run concurrently with writes: each sees the view before or after
// an Apply (run with -race).
func TestConcurrentQueriesAndApplies(t *testing.T) {
	v := newView(t, fixture())
	ents := fixture()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				if w == 0 {
					_ = v.Apply(context.Background(), uint64(2+i), toPuts(ents[20:22]), nil)
					continue
				}
				if _, err := v.Coverage(context.Background(), CoverageRequest{Framework: demo}); err != nil {
					t.Error(err)
				}
				req, _ := DecodeRecommendRequest([]byte(`{"target": {"ref/demo/c3": 4}}`), base)
				if _, err := v.Recommend(context.Background(), req); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}
