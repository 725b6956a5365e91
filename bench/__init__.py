"""The scale benchmark behind `make bench`: generate a company-sized data set, measure, report.

`bench.generate` loads the data with COPY, `bench.measure` times each figure next to its
hand-written-SQL baseline, `bench.report` prints the table and writes the JSON. `python -m bench`
runs it all (scripts/bench starts the throwaway PostgreSQL first).
"""
