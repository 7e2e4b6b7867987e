package driver

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"
)

// The result cache keeps, per unit, what its check produced: the result
// record and the facts file (vetx) its importers read. Its key is a hash of
// everything the result depends on: the executable, the checks and their
// flags, the unit's identity, Go version and files (by content), and the
// facts files of its imports (by content, which also covers the
// dependencies' own dependencies, as their facts and types are folded into
// them). Temporary paths are not part of it, so a second run over an
// unchanged tree replays every unit, and after an edit only the edited
// package and the packages whose imports' facts changed are checked again.
//
// MAPGUARD_CACHE=off disables it; MAPGUARD_CACHE=DIR moves it from
// os.UserCacheDir()/mapguard. Entries unused for cacheMaxAge are removed,
// at most once a day, as the go command does with its own cache.

const cacheEnv = "MAPGUARD_CACHE"

const (
	cacheMaxAge     = 5 * 24 * time.Hour
	cacheTouchAfter = time.Hour
	cacheTrimEvery  = 24 * time.Hour
)

type resultCache struct{ dir string }

// cacheDir returns the directory of the result cache, or "" when the cache
// is off.
func cacheDir() (string, error) {
	switch v := os.Getenv(cacheEnv); v {
	case "off":
		return "", nil
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return "", nil // no home: no cache
		}
		return filepath.Join(base, "mapguard"), nil
	default:
		return filepath.Abs(v)
	}
}

// FactCacheDir returns the directory where the language server keeps the
// facts of the packages a workspace cannot change, under the result cache's
// (MAPGUARD_CACHE); "" when the cache is off.
func FactCacheDir() string {
	dir, err := cacheDir()
	if err != nil || dir == "" {
		return ""
	}
	return filepath.Join(dir, "lsp-facts")
}

func openCache(dir string) *resultCache {
	if dir == "" {
		return nil
	}
	return &resultCache{dir: dir}
}

func (c *resultCache) paths(key string) (record, vetx string) {
	base := filepath.Join(c.dir, key[:2], key)
	return base + "-r", base + "-v"
}

// get returns the cached result of key and copies its facts file to
// vetxOut.
func (c *resultCache) get(key, vetxOut string) (*unitResult, bool) {
	recPath, vetxPath := c.paths(key)
	b, err := os.ReadFile(recPath)
	if err != nil {
		return nil, false
	}
	res := new(unitResult)
	if json.Unmarshal(b, res) != nil {
		return nil, false
	}
	if vetxOut != "" {
		if copyFile(vetxPath, vetxOut) != nil {
			return nil, false
		}
	}
	now := time.Now()
	for _, p := range []string{recPath, vetxPath} {
		if st, err := os.Stat(p); err == nil && now.Sub(st.ModTime()) > cacheTouchAfter {
			os.Chtimes(p, now, now) // keeps it from being trimmed; an error only costs a re-check later
		}
	}
	return res, true
}

// put stores a result and the facts file at vetx. A failure to store is
// not an error: the next run checks the unit again.
func (c *resultCache) put(key string, res *unitResult, vetx string) {
	recPath, vetxPath := c.paths(key)
	if err := os.MkdirAll(filepath.Dir(recPath), 0o755); err != nil {
		return
	}
	if vetx != "" {
		if _, err := os.Stat(vetx); err != nil || copyFile(vetx, vetxPath) != nil {
			return
		}
	}
	b, err := json.Marshal(res)
	if err != nil {
		return
	}
	writeAtomic(recPath, b) // the record last: it marks the entry complete
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return writeAtomic(to, b)
}

func writeAtomic(name string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), filepath.Base(name)+".tmp*")
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), name); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// trim removes the entries unused for cacheMaxAge, at most once every
// cacheTrimEvery.
func (c *resultCache) trim() {
	mark := filepath.Join(c.dir, "trimmed")
	now := time.Now()
	if st, err := os.Stat(mark); err == nil && now.Sub(st.ModTime()) < cacheTrimEvery {
		return
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return
	}
	if err := os.WriteFile(mark, nil, 0o644); err != nil {
		return
	}
	filepath.WalkDir(c.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path == mark {
			return nil
		}
		if info, err := d.Info(); err == nil && now.Sub(info.ModTime()) > cacheMaxAge {
			os.Remove(path)
		}
		return nil
	})
}

// unitKey returns the cache key of a unit checked with the given tool
// flags.
func unitKey(o *runOptions, toolFlags []string, cfg *vetConfig) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "mapguard unit v1\ntool %s\nanalyzers %q\ntests %t\n", o.Tool, o.Analyzers, o.Tests)
	for _, f := range toolFlags {
		if !isRunFlag(f) {
			fmt.Fprintf(h, "flag %q\n", f)
		}
	}
	fmt.Fprintf(h, "goos %s goarch %s env %q %q\n", runtime.GOOS, runtime.GOARCH, os.Getenv("GOOS"), os.Getenv("GOARCH"))
	fmt.Fprintf(h, "id %q\npath %q\ngo %q\nmodule %q %q\nvetxonly %t\n",
		cfg.ID, cfg.ImportPath, cfg.GoVersion, cfg.ModulePath, cfg.ModuleVersion, cfg.VetxOnly)
	for _, list := range []struct {
		kind  string
		files []string
	}{{"go", cfg.GoFiles}, {"other", cfg.NonGoFiles}, {"ignored", cfg.IgnoredFiles}} {
		for _, name := range list.files {
			sum, err := fileHash(name)
			if err != nil {
				return "", err
			}
			// Files cgo generates are in the go command's work
			// directory, new for every run: by content alone.
			if rel, err := filepath.Rel(cfg.Dir, name); cfg.Dir == "" || err != nil || !filepath.IsLocal(rel) {
				name = filepath.Base(name)
			}
			fmt.Fprintf(h, "%s %q %s\n", list.kind, name, sum)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(cfg.ImportMap)) {
		fmt.Fprintf(h, "import %q %q\n", k, cfg.ImportMap[k])
	}
	for _, k := range slices.Sorted(maps.Keys(cfg.PackageVetx)) {
		sum, err := fileHash(cfg.PackageVetx[k])
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "vetx %q %s\n", k, sum)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func fileHash(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
