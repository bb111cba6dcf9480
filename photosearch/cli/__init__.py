"""Command-line client of the core: argument parsing and printing, nothing else."""
