package unsavedload

import "strings"

// The functions the check knows by name, keyed by types.Func.FullName.

// A reader describes a call whose result carries data read from storage, or
// that passes on what its argument carries.
type reader struct {
	// path is the index of the argument naming the file read (-1: none).
	path int
	// from is the argument whose data the result carries (-1: none).
	from int
	// what the data comes from when path is -1 and from is -1.
	what string
}

var readers = map[string]reader{
	"os.ReadFile":        {path: 0, from: -1},
	"io/ioutil.ReadFile": {path: 0, from: -1},
	"os.Open":            {path: 0, from: -1},
	"os.OpenFile":        {path: 0, from: -1},

	"io.ReadAll":                            {path: -1, from: 0},
	"io/ioutil.ReadAll":                     {path: -1, from: 0},
	"io.LimitReader":                        {path: -1, from: 0},
	"io.NopCloser":                          {path: -1, from: 0},
	"io/ioutil.NopCloser":                   {path: -1, from: 0},
	"bufio.NewReader":                       {path: -1, from: 0},
	"bufio.NewReaderSize":                   {path: -1, from: 0},
	"bufio.NewScanner":                      {path: -1, from: 0},
	"(*bufio.Scanner).Text":                 {path: -1, from: 0},
	"(*bufio.Scanner).Bytes":                {path: -1, from: 0},
	"(*bufio.Reader).ReadString":            {path: -1, from: 0},
	"(*bufio.Reader).ReadBytes":             {path: -1, from: 0},
	"(*bufio.Reader).ReadLine":              {path: -1, from: 0},
	"(*bufio.Reader).ReadSlice":             {path: -1, from: 0},
	"encoding/json.NewDecoder":              {path: -1, from: 0},
	"encoding/gob.NewDecoder":               {path: -1, from: 0},
	"encoding/xml.NewDecoder":               {path: -1, from: 0},
	"encoding/csv.NewReader":                {path: -1, from: 0},
	"(*encoding/csv.Reader).Read":           {path: -1, from: 0},
	"(*encoding/csv.Reader).ReadAll":        {path: -1, from: 0},
	"compress/gzip.NewReader":               {path: -1, from: 0},
	"compress/zlib.NewReader":               {path: -1, from: 0},
	"compress/flate.NewReader":              {path: -1, from: 0},
	"gopkg.in/yaml.v2.NewDecoder":           {path: -1, from: 0},
	"gopkg.in/yaml.v3.NewDecoder":           {path: -1, from: 0},
	"github.com/BurntSushi/toml.NewDecoder": {path: -1, from: 0},

	"(*database/sql.DB).Query":             {path: -1, from: -1, what: "a database"},
	"(*database/sql.DB).QueryContext":      {path: -1, from: -1, what: "a database"},
	"(*database/sql.DB).QueryRow":          {path: -1, from: -1, what: "a database"},
	"(*database/sql.DB).QueryRowContext":   {path: -1, from: -1, what: "a database"},
	"(*database/sql.Tx).Query":             {path: -1, from: -1, what: "a database"},
	"(*database/sql.Tx).QueryContext":      {path: -1, from: -1, what: "a database"},
	"(*database/sql.Tx).QueryRow":          {path: -1, from: -1, what: "a database"},
	"(*database/sql.Tx).QueryRowContext":   {path: -1, from: -1, what: "a database"},
	"(*database/sql.Stmt).Query":           {path: -1, from: -1, what: "a database"},
	"(*database/sql.Stmt).QueryContext":    {path: -1, from: -1, what: "a database"},
	"(*database/sql.Stmt).QueryRow":        {path: -1, from: -1, what: "a database"},
	"(*database/sql.Stmt).QueryRowContext": {path: -1, from: -1, what: "a database"},
	"(*database/sql.Conn).QueryContext":    {path: -1, from: -1, what: "a database"},
	"(*database/sql.Conn).QueryRowContext": {path: -1, from: -1, what: "a database"},
}

// A decoder fills the values its target arguments point to with the data
// its source argument carries.
type decoder struct {
	from int // the argument whose data is decoded
	// targets: the first argument filled; every later one is filled too
	// when the function is variadic (Scan(dest ...any)).
	target   int
	variadic bool
	// path, when not -1, is the argument naming a file decoded directly.
	path int
}

var decoders = map[string]decoder{
	"encoding/json.Unmarshal":                      {from: 0, target: 1, path: -1},
	"encoding/xml.Unmarshal":                       {from: 0, target: 1, path: -1},
	"(*encoding/json.Decoder).Decode":              {from: 0, target: 1, path: -1},
	"(*encoding/gob.Decoder).Decode":               {from: 0, target: 1, path: -1},
	"(*encoding/xml.Decoder).Decode":               {from: 0, target: 1, path: -1},
	"(*encoding/xml.Decoder).DecodeElement":        {from: 0, target: 1, path: -1},
	"encoding/binary.Read":                         {from: 0, target: 2, path: -1},
	"(*database/sql.Rows).Scan":                    {from: 0, target: 1, variadic: true, path: -1},
	"(*database/sql.Row).Scan":                     {from: 0, target: 1, variadic: true, path: -1},
	"fmt.Sscan":                                    {from: 0, target: 1, variadic: true, path: -1},
	"fmt.Sscanln":                                  {from: 0, target: 1, variadic: true, path: -1},
	"fmt.Sscanf":                                   {from: 0, target: 2, variadic: true, path: -1},
	"fmt.Fscan":                                    {from: 0, target: 1, variadic: true, path: -1},
	"fmt.Fscanln":                                  {from: 0, target: 1, variadic: true, path: -1},
	"fmt.Fscanf":                                   {from: 0, target: 2, variadic: true, path: -1},
	"gopkg.in/yaml.v2.Unmarshal":                   {from: 0, target: 1, path: -1},
	"gopkg.in/yaml.v3.Unmarshal":                   {from: 0, target: 1, path: -1},
	"sigs.k8s.io/yaml.Unmarshal":                   {from: 0, target: 1, path: -1},
	"(*gopkg.in/yaml.v2.Decoder).Decode":           {from: 0, target: 1, path: -1},
	"(*gopkg.in/yaml.v3.Decoder).Decode":           {from: 0, target: 1, path: -1},
	"github.com/BurntSushi/toml.Unmarshal":         {from: 0, target: 1, path: -1},
	"github.com/BurntSushi/toml.Decode":            {from: 0, target: 1, path: -1},
	"github.com/BurntSushi/toml.DecodeFile":        {from: -1, target: 1, path: 0},
	"(*github.com/BurntSushi/toml.Decoder).Decode": {from: 0, target: 1, path: -1},
}

// derivers are the standard packages whose functions compute their results
// from their arguments only: data read from storage stays data read from
// storage through strings.Split, strconv.Atoi or time.Parse.
var derivers = map[string]bool{
	"strings": true, "bytes": true, "strconv": true, "unicode": true,
	"unicode/utf8": true, "unicode/utf16": true, "path": true,
	"path/filepath": true, "net/url": true, "net/netip": true,
	"encoding/hex": true, "encoding/base64": true, "encoding/base32": true,
	"time": true, "math": true, "slices": true, "fmt": true,
}

// writers open files for writing, write them, or change a database: a
// function that calls one may be saving. (*os.File) methods count unless
// called on os.Stdout or os.Stderr. os.OpenFile counts unless its flag is
// the constant os.O_RDONLY.
var writers = map[string]bool{
	"os.WriteFile":        true,
	"io/ioutil.WriteFile": true,
	"os.Create":           true,
	"os.CreateTemp":       true,
	"io/ioutil.TempFile":  true,
	"os.OpenFile":         true,
	"os.Rename":           true,
	"os.Truncate":         true,

	"(*os.File).Write":       true,
	"(*os.File).WriteString": true,
	"(*os.File).WriteAt":     true,
	"(*os.File).ReadFrom":    true,
	"(*os.File).Truncate":    true,
	"(*os.File).Sync":        true,

	"(*database/sql.DB).Exec":          true,
	"(*database/sql.DB).ExecContext":   true,
	"(*database/sql.Tx).Exec":          true,
	"(*database/sql.Tx).ExecContext":   true,
	"(*database/sql.Stmt).Exec":        true,
	"(*database/sql.Stmt).ExecContext": true,
	"(*database/sql.Conn).ExecContext": true,
}

// servers start serving requests (or block doing so): in main, what runs
// after them runs while handlers may be changing the maps.
var servers = map[string]bool{
	"net/http.ListenAndServe":              true,
	"net/http.ListenAndServeTLS":           true,
	"net/http.Serve":                       true,
	"net/http.ServeTLS":                    true,
	"(*net/http.Server).ListenAndServe":    true,
	"(*net/http.Server).ListenAndServeTLS": true,
	"(*net/http.Server).Serve":             true,
	"(*net/http.Server).ServeTLS":          true,
	"net/http/fcgi.Serve":                  true,
	"(*net/rpc.Server).Accept":             true,
	"net/rpc.Accept":                       true,
}

// How a function handed to a call as a value will run.
var callbacks = map[string]mode{
	"(*sync.Once).Do":                 modeOnce,
	"(*sync.WaitGroup).Go":            modeGo,
	"time.AfterFunc":                  modeGo,
	"context.AfterFunc":               modeGo,
	"net/http.HandleFunc":             modeHandler,
	"net/http.Handle":                 modeHandler,
	"(*net/http.ServeMux).HandleFunc": modeHandler,
	"(*net/http.ServeMux).Handle":     modeHandler,
	"net/http.HandlerFunc":            modeHandler,
	"net/http.TimeoutHandler":         modeHandler,
	"net/http.StripPrefix":            modeHandler,

	// Called before the call returns.
	"(*sync.Map).Range":     modeSync,
	"sort.Slice":            modeSync,
	"sort.SliceStable":      modeSync,
	"sort.Search":           modeSync,
	"slices.SortFunc":       modeSync,
	"slices.SortStableFunc": modeSync,
	"slices.IndexFunc":      modeSync,
	"slices.ContainsFunc":   modeSync,
	"slices.DeleteFunc":     modeSync,
	"strings.Map":           modeSync,
	"strings.FieldsFunc":    modeSync,
	"strings.IndexFunc":     modeSync,
	"strings.TrimFunc":      modeSync,
	"bytes.Map":             modeSync,
	"bytes.FieldsFunc":      modeSync,
	"path/filepath.Walk":    modeSync,
	"path/filepath.WalkDir": modeSync,
	"io/fs.WalkDir":         modeSync,
}

// routeMethods are the method names of third-party routers (chi, gin, echo,
// gorilla/mux) that register a handler: a function value handed to them is
// an HTTP handler.
var routeMethods = map[string]bool{
	"Handle": true, "HandleFunc": true, "Handler": true, "HandlerFunc": true,
	"Get": true, "Post": true, "Put": true, "Patch": true, "Delete": true, "Head": true, "Options": true,
	"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "OPTIONS": true,
	"Any": true, "Method": true, "MethodFunc": true,
}

// saveLike reports whether a method or function name says that it persists
// something: a call to such a method of an interface, or to such a function
// of a package the check has not analysed, may be a save the check cannot
// see. Verbs that loggers and metrics use too (Write, Sync, Flush, Set) do
// not count: a handler that logs is not saving.
func saveLike(name string) bool {
	for _, p := range []string{
		"Save", "Persist", "Store", "Put", "Commit", "Exec", "Insert", "Update",
		"Upsert", "Checkpoint", "Snapshot", "Backup", "Dump", "WriteFile",
		"Create", "OpenFile", "Rename",
	} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// systemDirs hold reference data the system provides (/etc/mime.types):
// a program that reads it is not keeping state there.
var systemDirs = []string{"/etc/", "/usr/", "/proc/", "/sys/", "/dev/", "/lib/", "/run/"}
