package labns

// SetNames makes New try the names of next, in turn, before random ones;
// it returns a function that undoes it.
func SetNames(next ...string) (undo func()) {
	old := suffix
	suffix = func() string {
		if len(next) == 0 {
			return old()
		}
		s := next[0]
		next = next[1:]
		return s
	}
	return func() { suffix = old }
}
