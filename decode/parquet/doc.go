// Package parquet writes the fields of dissected packets as the rows of a
// Parquet file, one row per packet and one typed column per field, for
// DuckDB, Spark, Trino and the like to query. It reads decode's tree and
// never opens a file: its caller hands it an io.Writer and each packet.
//
// NewWriter takes the field names (DefaultFields when none); Print has the
// printers' shape, so capture.Loop hands it packets; Close writes the
// footer. Integers are written as integers, booleans as booleans, times as
// TIMESTAMP(NANOS), addresses as their text, a field absent from a packet
// as NULL and a repeated one by its first occurrence.
//
// It imports decode, decode/wire and github.com/parquet-go/parquet-go (pure
// Go); only commands imports it, so decode itself stays free of it. Its
// tests read the files back with DuckDB (npm's @duckdb/node-api, installed
// into a cache when missing) and check every type and value against the
// tree and against -T fields.
package parquet
