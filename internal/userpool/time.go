package userpool

import (
	"math"
	"strconv"
	"time"
)

// Time is a moment as the Cognito API writes it: seconds since the epoch, as a JSON number
// with a fraction (for example 1700000000.123).
type Time struct{ time.Time }

// At wraps t for the wire.
func At(t time.Time) Time { return Time{t} }

// MarshalJSON writes the epoch seconds, to the millisecond.
func (t Time) MarshalJSON() ([]byte, error) {
	ms := t.UnixMilli()
	if ms%1000 == 0 {
		return strconv.AppendInt(nil, ms/1000, 10), nil
	}
	return strconv.AppendFloat(nil, float64(ms)/1000, 'f', 3, 64), nil
}

// UnmarshalJSON reads epoch seconds, with or without a fraction.
func (t *Time) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return err
	}
	// Rounded to the microsecond: a float64 of epoch seconds holds no more, and a
	// millisecond written as .123 must read back as exactly .123.
	t.Time = time.UnixMicro(int64(math.Round(f * 1e6))).UTC()
	return nil
}
