package storedoc

import (
	"reflect"
	"sync"
)

// docCache keeps decoded pool and client documents by the text they were decoded from.
// Every public operation reads its app client and pool, whose documents are large (the
// schema alone has twenty attributes) and seldom change; decoding them was a quarter of a
// ForgotPassword's CPU. A document whose stored text is the one decoded before is copied
// from the cache instead: callers own what they get and may change it. Keyed by the text,
// the cache can never answer a stale document, whatever another process wrote.
type docCache struct {
	mu sync.Mutex
	m  map[string]cachedDoc
}

type cachedDoc struct {
	text string
	v    reflect.Value // a private copy: never handed out
}

// maxCachedDocs bounds the cache; past it, an entry is dropped to make room.
const maxCachedDocs = 4096

// DecodeCached decodes text into out (a pointer), through the cache under key.
func (s *Codec) DecodeCached(key, text string, out any) error {
	dst := reflect.ValueOf(out).Elem()
	s.docs.mu.Lock()
	c, ok := s.docs.m[key]
	s.docs.mu.Unlock()
	if ok && c.text == text && c.v.Type() == dst.Type() {
		dst.Set(deepCopy(c.v))
		return nil
	}
	if err := s.Decode(text, out); err != nil {
		return err
	}
	kept := deepCopy(dst)
	s.docs.mu.Lock()
	defer s.docs.mu.Unlock()
	if s.docs.m == nil {
		s.docs.m = map[string]cachedDoc{}
	}
	if len(s.docs.m) >= maxCachedDocs {
		for k := range s.docs.m {
			delete(s.docs.m, k)
			break
		}
	}
	s.docs.m[key] = cachedDoc{text: text, v: kept}
	return nil
}

// deepCopy copies v so that the copy shares no pointer, slice or map with it. Structs
// with unexported fields (time.Time) are copied as values: nothing of them is mutable.
func deepCopy(v reflect.Value) reflect.Value {
	out := reflect.New(v.Type()).Elem()
	copyInto(out, v)
	return out
}

func copyInto(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		copyInto(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			copyInto(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		it := src.MapRange()
		for it.Next() {
			m.SetMapIndex(it.Key(), deepCopy(it.Value()))
		}
		dst.Set(m)
	case reflect.Struct:
		t := src.Type()
		for i := range t.NumField() {
			if !t.Field(i).IsExported() {
				dst.Set(src)
				return
			}
		}
		for i := range t.NumField() {
			copyInto(dst.Field(i), src.Field(i))
		}
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		dst.Set(deepCopy(src.Elem()))
	default:
		dst.Set(src)
	}
}
