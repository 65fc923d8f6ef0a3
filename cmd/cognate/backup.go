package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"cognate/internal/sqlite"
)

// backup writes a consistent copy of a SQLite store while servers keep using it (VACUUM
// INTO). The master key file is not in it: it is kept, and backed up, apart.
func backup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cognate backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	store := fs.String("store", orDefault(getenv("COGNATE_STORE"), "./cognate-data/cognate.db"), "The SQLite file to copy. (COGNATE_STORE)")
	to := fs.String("to", "", "The file to write the copy to; it must not exist. Required.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if *to == "" {
		return errors.New("backup: --to FILE is required")
	}
	if isPostgres(*store) {
		return errors.New("backup: copies a SQLite store; back a PostgreSQL store up with PostgreSQL's own tools (pg_dump, base backups)")
	}
	if *store == ":memory:" {
		return errors.New("backup: a store in memory lives in the process that holds it; there is nothing to copy from here")
	}
	s, err := sqlite.Open(ctx, *store, sqlite.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.BackupTo(ctx, *to); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", *store, *to)
	return nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
