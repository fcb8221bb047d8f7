package extsort

import (
	"container/heap"
	"context"
	"io"
	"os"
)

// merge merges sorted runs into one sorted file at out and removes the
// runs. Records of equal key come out in the order of the runs, which are
// in the order their records were added.
func merge(ctx context.Context, runs []string, out string) (err error) {
	h := &mergeHeap{}
	defer func() {
		for _, c := range h.cursors {
			c.r.close()
		}
	}()
	for i, p := range runs {
		r, err := open(p)
		if err != nil {
			return err
		}
		c := &cursor{r: r, run: i}
		if ok, err := c.advance(); err != nil {
			r.close()
			return err
		} else if ok {
			h.cursors = append(h.cursors, c)
		} else {
			r.close()
		}
	}
	heap.Init(h)
	w, err := create(out)
	if err != nil {
		return err
	}
	for n := 1; h.Len() > 0; n++ {
		if n%CheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				w.close()
				return err
			}
		}
		c := h.cursors[0]
		if err := w.write(c.key, c.val); err != nil {
			w.close()
			return err
		}
		ok, err := c.advance()
		if err != nil {
			w.close()
			return err
		}
		if ok {
			heap.Fix(h, 0)
		} else {
			c.r.close()
			heap.Pop(h)
		}
	}
	if err := w.close(); err != nil {
		return err
	}
	for _, p := range runs {
		os.Remove(p)
	}
	return nil
}

// cursor is a run being merged, at its current record.
type cursor struct {
	r   *reader
	run int
	key string
	val []byte
}

func (c *cursor) advance() (bool, error) {
	key, val, err := c.r.next()
	if err == io.EOF {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	c.key, c.val = key, val
	return true, nil
}

// mergeHeap orders cursors by key, then by run.
type mergeHeap struct{ cursors []*cursor }

func (h *mergeHeap) Len() int { return len(h.cursors) }
func (h *mergeHeap) Less(i, j int) bool {
	a, b := h.cursors[i], h.cursors[j]
	if a.key != b.key {
		return a.key < b.key
	}
	return a.run < b.run
}
func (h *mergeHeap) Swap(i, j int) { h.cursors[i], h.cursors[j] = h.cursors[j], h.cursors[i] }
func (h *mergeHeap) Push(x any)    { h.cursors = append(h.cursors, x.(*cursor)) }
func (h *mergeHeap) Pop() any {
	c := h.cursors[len(h.cursors)-1]
	h.cursors = h.cursors[:len(h.cursors)-1]
	return c
}
