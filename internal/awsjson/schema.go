package awsjson

import "regexp"

// Kind is the JSON type a shape takes on the wire.
type Kind uint8

// The kinds of shape the AWS JSON 1.1 protocol carries.
const (
	KindString Kind = iota + 1
	KindInteger
	KindLong
	KindBoolean
	KindTimestamp
	KindBlob
	KindStructure
	KindList
	KindMap
	KindDocument // any JSON value, taken as it comes
)

// Shape is one shape of an API model with the constraints a request must satisfy.
// Tables of shapes are generated from the service's model; nothing here is written by hand.
type Shape struct {
	Name       string
	Kind       Kind
	Min, Max   *int64 // length for strings, lists and maps; value range for numbers
	Pattern    *regexp.Regexp
	PatternSrc string // the pattern as the model writes it, for messages
	Enum       []string
	Sensitive  bool
	Members    []Member // structures
	Item       *Shape   // lists: the member shape; maps: the value shape
	Key        *Shape   // maps: the key shape
}

// Member is one member of a structure shape.
type Member struct {
	Name     string // the JSON name, exactly as the model spells it
	Shape    *Shape
	Required bool
}

// Operation describes one operation of the service for the dispatcher.
type Operation struct {
	Name     string
	Input    *Shape // nil when the operation takes no input
	Unsigned bool   // true for operations the model marks authtype none
}
