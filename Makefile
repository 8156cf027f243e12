# default.pgo is the CPU profile `go build` optimises the binary with
# (profile-guided optimisation): the benchmarks of the packet paths, the
# packets of testdata/. Make it again after a change to a hot path:
#     make pgo
PGO_TMP := $(shell mktemp -d -u /tmp/sockscope-pgo.XXXXXX)

.PHONY: pgo
pgo:
	mkdir -p $(PGO_TMP)
	go test -run '^$$' -bench 'DissectTestdata|PrintMixed|FieldsMixed|JSONMixed' -benchtime 2s -cpuprofile $(PGO_TMP)/decode.prof ./decode
	go test -run '^$$' -bench 'HierarchyAdd|IOStatAdd' -benchtime 2s -cpuprofile $(PGO_TMP)/stats.prof ./decode/stats
	go test -run '^$$' -bench 'MatchTCP|SelectorTCP' -benchtime 2s -cpuprofile $(PGO_TMP)/display.prof ./decode/display
	go test -run '^$$' -bench 'ReadPcap|WritePcap' -benchtime 2s -cpuprofile $(PGO_TMP)/capture.prof ./capture
	go test -run '^$$' -bench 'MatchIPTCPOrICMP' -benchtime 2s -cpuprofile $(PGO_TMP)/filter.prof ./capture/filter
	go tool pprof -proto $(PGO_TMP)/*.prof > default.pgo
	rm -rf $(PGO_TMP)

# Live stats and rotation each second under the capture benchmark's load
# (2M frames through a namespace lab; root): see .ci/bench-live.sh.
.PHONY: bench-live
bench-live:
	bash .ci/bench-live.sh
