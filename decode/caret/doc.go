// Package caret shows where in a line of a user's text (a filter
// expression, a craft spec) an error is: the text, cut to a window around
// the place when it is longer than a terminal shows, and a caret under it.
// Show builds the two lines; Visible is how a control character is shown
// in one column, so that the caret stays under the right place.
//
// It knows nothing of what the text means, and imports nothing of
// sockscope's. capture/filter, decode/display and craft/spec put its lines
// into their errors. It has no tests of its own: craft/spec's error tests
// (TestBadSpecSaysWhatAndWhere, TestErrorShowsAWindowOfALongSpec,
// TestErrorShowsControlCharactersAsOneColumn) check what it draws.
package caret
