package client

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoGlobalSkipVerify reads every non-test Go file of the module: no
// code turns certificate verification off, except the one place that
// replaces it with something stricter — pinnedClient, which accepts only
// the certificate whose SHA-256 the user trusted (WithPinnedCertificate),
// on a copy of one client's transport. Go's TLS only lets a client check a
// self-signed certificate itself with InsecureSkipVerify and its own
// VerifyConnection.
func TestNoGlobalSkipVerify(t *testing.T) {
	t.Parallel()
	root := moduleRoot(t)
	allowed := map[string]bool{"client/tls.go:pinnedClient": true}
	seen := map[string]bool{}
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "test-artifacts" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		files++
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			where := filepath.ToSlash(rel) + ":"
			if fn, ok := decl.(*ast.FuncDecl); ok {
				where += fn.Name.Name
			} else {
				where += "(package level)"
			}
			verifies := false
			var uses []token.Pos
			ast.Inspect(decl, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok {
					switch id.Name {
					case "InsecureSkipVerify":
						uses = append(uses, id.Pos())
					case "VerifyConnection":
						verifies = true
					}
				}
				return true
			})
			if len(uses) == 0 {
				continue
			}
			seen[where] = true
			switch {
			case !allowed[where]:
				t.Errorf("%s: InsecureSkipVerify in %s; verify certificates (or pin one with client.WithPinnedCertificate)", fset.Position(uses[0]), where)
			case !verifies:
				t.Errorf("%s: InsecureSkipVerify without a VerifyConnection that checks the pin", fset.Position(uses[0]))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("read only %d Go files under %s", files, root)
	}
	for where := range allowed {
		if !seen[where] {
			t.Errorf("%s no longer uses InsecureSkipVerify: update this test's allowed list", where)
		}
	}
}

// moduleRoot is the directory of go.mod above the test.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}
