package copies_test

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa/ssautil"

	"github.com/mapguard/mapguard/internal/analysis/copies"
)

// TestCandidatesCoverEveryNamedCopy checks the promise lostwrite's and
// mapcopy's prefilters rely on: every copy that Find returns and FindOrigin
// can name (the only copies the checks report) is among the Candidates,
// over the checks' own test packages.
func TestCandidatesCoverEveryNamedCopy(t *testing.T) {
	for _, check := range []string{"lostwrite", "mapcopy"} {
		gopath, err := filepath.Abs(filepath.Join("..", "..", "..", "analyzers", check, "testdata"))
		if err != nil {
			t.Fatal(err)
		}
		cfg := &packages.Config{
			Mode: packages.LoadAllSyntax,
			Dir:  filepath.Join(gopath, "src"),
			Env:  append(os.Environ(), "GOPATH="+gopath, "GO111MODULE=off", "GOFLAGS="),
		}
		pkgs, err := packages.Load(cfg, "./...")
		if err != nil {
			t.Fatal(err)
		}
		prog, spkgs := ssautil.AllPackages(pkgs, 0)
		prog.Build()
		named := 0
		for i, p := range pkgs {
			if len(p.Errors) > 0 {
				t.Fatalf("%s: %v", p.PkgPath, p.Errors)
			}
			candidates := copies.Candidates(p.TypesInfo, p.Syntax)
			for fn := range ssautil.AllFunctions(prog) {
				if fn.Pkg != spkgs[i] {
					continue
				}
				for _, c := range copies.Find(fn) {
					o := copies.FindOrigin(p.Syntax, c)
					if o == nil {
						continue
					}
					named++
					if obj := p.TypesInfo.ObjectOf(o.Name); !candidates[obj] {
						t.Errorf("%s: copy %s in %s is not a candidate", check, o.Name.Name, fn)
					}
				}
			}
		}
		if named < 20 {
			t.Errorf("%s: only %d named copies in the test packages: the test proves little", check, named)
		}
	}
}
