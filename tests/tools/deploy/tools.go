//go:build tools

// Package tools pins the command-line tools the deployment checks build from this module
// (go.sum holds their hashes).
package tools

import _ "github.com/rhysd/actionlint/cmd/actionlint"
