package stats

// What the display filters of a whole run change in the tables: tshark
// gives a field a value in its tree only when some filter of the run
// names it, and the tables read its tree.

// A primed table reads fields that tshark's tree holds only when a filter
// of the run names them.
type primed interface {
	Table
	// prime tells the table the filters of the whole run.
	prime(filters []string)
}

// A filtered table carries display filters of its own.
type filtered interface {
	filters() []string
}

// Prime tells tables the display filters of the run they are part of:
// selected (-Y, "" for none) and every table's own (a spec's filter, an
// io,stat column's). tshark was seen to give an io,stat calculation a
// value only when one of these filters names its field (SUM(udp.length)udp
// is 0 alone, and 4824 beside a column udp.length>0, or under -Y
// udp.length>1), and to list the frame at the root of io,phs's hierarchy
// only when one names a frame field. A run calls it once, before the first
// Add; tables it is not given are as if the run had no other filter.
func Prime(tables []Table, selected string) {
	var all []string
	if selected != "" {
		all = append(all, selected)
	}
	for _, t := range tables {
		if f, ok := t.(filtered); ok {
			all = append(all, f.filters()...)
		}
	}
	for _, t := range tables {
		if p, ok := t.(primed); ok {
			p.prime(all)
		}
	}
}

func (c *convTable) filters() []string      { return c.filter.own() }
func (e *endpointsTable) filters() []string { return e.filter.own() }

// own is the spec's own filter, if it has one.
func (f *tableFilter) own() []string {
	if f.match == nil {
		return nil
	}
	return []string{f.text}
}

func (h *Hierarchy) filters() []string {
	if h.sel == nil {
		return nil
	}
	return []string{h.filter}
}

func (h *Hierarchy) prime(filters []string) {
	for _, f := range filters {
		h.Frame = h.Frame || NamesFrame(f)
	}
}

func (s *IOStat) filters() []string {
	var out []string
	for i := range s.cols {
		if s.cols[i].filter != nil {
			out = append(out, s.cols[i].expr)
		}
	}
	return out
}

func (s *IOStat) prime(filters []string) {
	for i := range s.cols {
		c := &s.cols[i]
		if c.name == "" {
			continue
		}
		for _, f := range filters {
			c.primed = c.primed || namesField(f, c.name)
		}
	}
}
