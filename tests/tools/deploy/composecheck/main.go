// composecheck loads a compose file with compose-go, the Compose Specification's reference
// loader (the one `docker compose` uses): schema validation, merge keys, references between
// services, volumes and secrets. It prints the loaded project as JSON on stdout for further
// checks, or the loader's error on stderr with exit status 1.
//
//	composecheck docker-compose.yml
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/loader"
	"github.com/compose-spec/compose-go/types"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: composecheck COMPOSE_FILE")
		os.Exit(2)
	}
	path, err := filepath.Abs(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	body, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	details := types.ConfigDetails{
		WorkingDir:  filepath.Dir(path),
		ConfigFiles: []types.ConfigFile{{Filename: path, Content: body}},
		// Only the variables a check passes in: the file must not depend on the caller's shell.
		Environment: map[string]string{},
	}
	for _, kv := range os.Environ() {
		for i := 0; i < len(kv); i++ {
			if kv[i] == '=' {
				details.Environment[kv[:i]] = kv[i+1:]
				break
			}
		}
	}
	project, err := loader.Load(details, func(o *loader.Options) {
		o.SetProjectName("atg", true)
		o.SkipResolveEnvironment = true
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	out, err := json.MarshalIndent(project, "", "  ")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(string(out))
}
