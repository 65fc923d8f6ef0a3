package userpool

import (
	"bytes"
	"strings"
	"testing"
)

func TestDeviceSkipsMFA(t *testing.T) {
	remembered := &Device{Doc: DeviceDoc{Remembered: true}}
	notRemembered := &Device{}
	pool := func(dc *DeviceConfigurationType) *Pool { return &Pool{Doc: UserPoolType{DeviceConfiguration: dc}} }
	for _, tc := range []struct {
		name string
		p    *Pool
		d    *Device
		want bool
	}{
		{"remembered, ChallengeRequiredOnNewDevice", pool(&DeviceConfigurationType{ChallengeRequiredOnNewDevice: ptr(true)}), remembered, true},
		{"remembered, ChallengeRequiredOnNewDevice false", pool(&DeviceConfigurationType{ChallengeRequiredOnNewDevice: ptr(false), DeviceOnlyRememberedOnUserPrompt: ptr(true)}), remembered, false},
		{"not remembered", pool(&DeviceConfigurationType{ChallengeRequiredOnNewDevice: ptr(true)}), notRemembered, false},
		{"no device", pool(&DeviceConfigurationType{ChallengeRequiredOnNewDevice: ptr(true)}), nil, false},
		{"pool does not track devices", pool(nil), remembered, false},
		{"empty DeviceConfiguration", pool(&DeviceConfigurationType{}), remembered, false},
	} {
		if got := deviceSkipsMFA(tc.p, tc.d); got != tc.want {
			t.Errorf("%s: deviceSkipsMFA = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestDeviceKeysAreBoundToTheUser(t *testing.T) {
	s := New(nil, Options{MasterKey: bytes.Repeat([]byte{7}, 32)})
	p := &Pool{ID: "eu-west-1_Abc"}
	alice, bob := &User{Sub: "sub-alice"}, &User{Sub: "sub-bob"}
	key, err := s.newDeviceKey(p, alice)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(key, "eu-west-1_") || len(key) != len("eu-west-1_")+36 {
		t.Fatalf("device key %q is not Region_UUID", key)
	}
	if !s.issuedDeviceKey(p, alice, key) {
		t.Fatalf("the key made for alice is not recognised as hers")
	}
	if s.issuedDeviceKey(p, bob, key) || s.issuedDeviceKey(&Pool{ID: "eu-west-1_Other"}, alice, key) {
		t.Fatalf("alice's key passes for another user or pool")
	}
	last := "0"
	if strings.HasSuffix(key, "0") {
		last = "1"
	}
	if changed := key[:len(key)-1] + last; s.issuedDeviceKey(p, alice, changed) {
		t.Fatalf("a changed key %q passes", changed)
	}
	for _, bad := range []string{"", "eu-west-1", "us-east-1_" + key[len("eu-west-1_"):], key + "0", strings.ToUpper(key)} {
		if s.issuedDeviceKey(p, alice, bad) {
			t.Errorf("%q passes as alice's key", bad)
		}
	}
	if g1, g2 := s.deviceGroupKey(p, alice, key), s.deviceGroupKey(p, bob, key); g1 == g2 || g1 == "" {
		t.Errorf("group keys %q and %q: want distinct, non-empty", g1, g2)
	}
}
