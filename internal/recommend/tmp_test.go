package recommend
import ("testing";"context";"math/rand/v2";"sort";"time")
func TestTmpNodes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, cls := range []int{8, 21} {
	var nodes []int; var ds []time.Duration; trunc := 0
	for i := 0; i < 200; i++ {
		in := RandomInstance(rng, RandomParams{Classes: cls, Targeted: cls, Items: 30, MaxGains: 3, NeedProb: 0.4, MaxCost: 600})
		in.Budget = 1000 + rng.Int64N(3000)
		st := time.Now()
		r, _ := Solve(context.Background(), in, Options{})
		ds = append(ds, time.Since(st))
		nodes = append(nodes, r.Nodes); if !r.Optimal { trunc++ }
	}
	sort.Ints(nodes); sort.Slice(ds, func(a,b int) bool {return ds[a]<ds[b]})
	t.Log(cls, "nodes", nodes[100], nodes[180], nodes[199], "trunc", trunc, "time p50", ds[100], "p90", ds[180], "max", ds[199])
	}
}
