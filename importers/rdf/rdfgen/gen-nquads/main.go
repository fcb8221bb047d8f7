// Command gen-nquads writes a large, valid N-Quads file of Trame entities
// to the standard output, to measure trame import nquads:
//
//	go run ./importers/rdf/rdfgen/gen-nquads -resources 50000 > /tmp/big.nq
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/trame-commun/trame/importers/rdf/rdfgen"
)

func main() {
	var o rdfgen.Options
	flag.IntVar(&o.Resources, "resources", 50000, "learning resources (14 quads each)")
	flag.IntVar(&o.Competencies, "competencies", 500, "competencies of the framework")
	flag.IntVar(&o.Organisations, "organisations", 200, "publishers")
	flag.Uint64Var(&o.Seed, "seed", 1, "random seed")
	flag.Parse()
	n, err := rdfgen.Write(os.Stdout, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "%d quads\n", n)
}
