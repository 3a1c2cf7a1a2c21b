package gui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ampdesk/ampdesk/client"
)

// advancedLimit is how many songs an advanced search returns.
const advancedLimit = 500

// ruleField is a field an advanced search rule can test.
type ruleField struct {
	label string
	name  string // the server's rule name
	kind  ruleKind
}

type ruleKind int

const (
	kindText ruleKind = iota
	kindNumber
	kindDate
	kindBool
)

var ruleFields = []ruleField{
	{"Title", "title", kindText},
	{"Artist", "artist", kindText},
	{"Album", "album", kindText},
	{"Genre", "genre", kindText},
	{"Year", "year", kindNumber},
	{"My rating", "myrating", kindNumber},
	{"Added", "added", kindDate},
	{"Played", "played", kindBool},
}

// ruleOperators are the operators of a kind, in the server's numbering.
func ruleOperators(k ruleKind) []string {
	switch k {
	case kindNumber:
		return []string{"at least", "at most", "is", "is not", "more than", "less than"}
	case kindDate:
		return []string{"before", "after"}
	case kindBool:
		return []string{"yes", "no"}
	}
	return []string{"contains", "does not contain", "starts with", "ends with", "is", "is not"}
}

// ruleRow is one rule being edited.
type ruleRow struct {
	field *widget.Select
	op    *widget.Select
	input *entry
	box   *fyne.Container
}

func (r *ruleRow) kind() ruleKind { return ruleFields[max(r.field.SelectedIndex(), 0)].kind }

// rule reads the row into a client.Rule, or says what is wrong with it.
func (r *ruleRow) rule() (client.Rule, error) {
	f := ruleFields[max(r.field.SelectedIndex(), 0)]
	op := max(r.op.SelectedIndex(), 0)
	in := strings.TrimSpace(r.input.Text)
	switch f.kind {
	case kindText:
		if in == "" {
			return client.Rule{}, fmt.Errorf("%s: type some text to look for", f.label)
		}
	case kindNumber:
		if _, err := strconv.Atoi(in); err != nil {
			return client.Rule{}, fmt.Errorf("%s: give a whole number", f.label)
		}
	case kindDate:
		if _, err := time.Parse("2006-01-02", in); err != nil {
			return client.Rule{}, fmt.Errorf("%s: give a date as YYYY-MM-DD", f.label)
		}
	case kindBool:
		in = ""
	}
	return client.Rule{Field: f.name, Operator: op, Input: in}, nil
}

// advancedForm is the advanced search's editor.
type advancedForm struct {
	env   *env
	rows  []*ruleRow
	list  *fyne.Container
	match *widget.RadioGroup
	errs  *widget.Label
}

func newAdvancedForm(e *env, prev *client.AdvancedSearch) *advancedForm {
	f := &advancedForm{env: e, list: container.NewVBox()}
	f.match = widget.NewRadioGroup([]string{"All rules", "Any rule"}, nil)
	f.match.Horizontal = true
	f.match.SetSelected("All rules")
	f.errs = widget.NewLabel("")
	f.errs.Importance = widget.DangerImportance
	f.errs.Wrapping = fyne.TextWrapWord
	f.errs.Hide()
	if prev != nil && len(prev.Rules.Rules) > 0 {
		if prev.Match == client.MatchAny {
			f.match.SetSelected("Any rule")
		}
		for _, r := range prev.Rules.Rules {
			f.addRule(r)
		}
	} else {
		f.addRule(client.Rule{Field: "title"})
	}
	return f
}

func (f *advancedForm) addRule(r client.Rule) *ruleRow {
	labels := make([]string, len(ruleFields))
	field := 0
	for i, rf := range ruleFields {
		labels[i] = rf.label
		if rf.name == r.Field {
			field = i
		}
	}
	row := &ruleRow{input: newEntry(f.env)}
	row.op = widget.NewSelect(ruleOperators(ruleFields[field].kind), nil)
	row.field = widget.NewSelect(labels, func(string) {
		row.op.Options = ruleOperators(row.kind())
		row.op.SetSelectedIndex(0)
		switch row.kind() {
		case kindBool:
			row.input.Hide()
		case kindDate:
			row.input.Show()
			row.input.SetPlaceHolder("YYYY-MM-DD")
		default:
			row.input.Show()
			row.input.SetPlaceHolder("")
		}
	})
	row.field.SetSelectedIndex(field)
	row.op.SetSelectedIndex(r.Operator)
	row.input.SetText(r.Input)
	remove := iconButton(theme.ContentRemoveIcon(), func() { f.removeRule(row) })
	row.box = container.NewBorder(nil, nil, container.NewHBox(withWidth(130, row.field), withWidth(160, row.op)), remove, row.input)
	f.rows = append(f.rows, row)
	f.list.Add(row.box)
	return row
}

func (f *advancedForm) removeRule(row *ruleRow) {
	if len(f.rows) == 1 {
		return
	}
	for i, r := range f.rows {
		if r == row {
			f.rows = append(f.rows[:i], f.rows[i+1:]...)
			break
		}
	}
	f.list.Remove(row.box)
}

// search reads the form into a search, or says what is wrong.
func (f *advancedForm) search() (*client.AdvancedSearch, error) {
	q := &client.AdvancedSearch{ListOptions: client.ListOptions{Limit: advancedLimit}}
	q.Match = client.MatchAll
	if f.match.Selected == "Any rule" {
		q.Match = client.MatchAny
	}
	var errs []error
	for _, row := range f.rows {
		r, err := row.rule()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		q.Rules.Rules = append(q.Rules.Rules, r)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return q, nil
}

func (f *advancedForm) content() fyne.CanvasObject {
	add := widget.NewButtonWithIcon("Add a rule", theme.ContentAddIcon(), func() { f.addRule(client.Rule{Field: "artist"}) })
	top := container.NewHBox(widget.NewLabel("Songs matching"), f.match)
	return container.NewBorder(top, container.NewVBox(f.errs, container.NewHBox(add)), nil, nil, container.NewVScroll(f.list))
}

// showAdvancedSearch opens the rules editor; run gets the search.
func showAdvancedSearch(e *env, prev *client.AdvancedSearch, run func(*client.AdvancedSearch)) {
	f := newAdvancedForm(e, prev)
	var dlg *dialog.CustomDialog
	searchBtn := widget.NewButtonWithIcon("Search", theme.SearchIcon(), func() {
		q, err := f.search()
		if err != nil {
			f.errs.SetText(err.Error())
			f.errs.Show()
			return
		}
		dlg.Hide()
		run(q)
	})
	searchBtn.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", func() { dlg.Hide() })
	dlg = dialog.NewCustomWithoutButtons("Advanced search", f.content(), e.Window)
	dlg.SetButtons([]fyne.CanvasObject{cancel, searchBtn})
	dlg.Resize(fyne.NewSize(640, 420))
	dlg.Show()
}
