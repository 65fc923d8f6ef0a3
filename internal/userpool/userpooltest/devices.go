package userpooltest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"cognate/internal/userpool"
)

// deviceTests are the conformance tests of DeviceStore (store_device.go).
var deviceTests = []struct {
	name string
	fn   func(t *testing.T, s userpool.Store)
}{
	{"Device/RoundTrip", testDeviceRoundTrip},
	{"Device/CreateErrors", testDeviceCreateErrors},
	{"Device/CreateRace", testDeviceCreateRace},
	{"Device/UpdateDelete", testDeviceUpdateDelete},
	{"Device/List", testDeviceList},
	{"Device/GoWithTheirUser", testDeviceUserCascade},
	{"Passkey/RoundTrip", testPasskeyRoundTrip},
	{"Passkey/CreateErrors", testPasskeyCreateErrors},
	{"Passkey/UpdateDeleteList", testPasskeyUpdateDeleteList},
}

// newDevice returns a device of u with every field set.
func newDevice(u *userpool.User, key string) *userpool.Device {
	at := base()
	return &userpool.Device{PoolID: u.PoolID, Key: key, UserSub: u.Sub, Doc: userpool.DeviceDoc{
		Name: "phone " + key, GroupKey: "-group" + key, Salt: "00ab" + key,
		Verifier: []byte{0x00, 0xff, 0x80, 0x7f}, Remembered: true, LastIP: "127.0.0.1",
		CreatedAt: at, ModifiedAt: at.Add(time.Second), LastAuthAt: at.Add(2 * time.Second),
	}}
}

// newPasskey returns a passkey of u with every field set.
func newPasskey(u *userpool.User, id string) *userpool.Passkey {
	return &userpool.Passkey{PoolID: u.PoolID, ID: id, UserSub: u.Sub, Doc: userpool.PasskeyDoc{
		PublicKey: []byte{0xa5, 0x01, 0x02, 0x00}, AttestationType: "none", AAGUID: make([]byte, 16),
		SignCount: 7, UserPresent: true, UserVerified: true, BackupEligible: true, BackupState: true,
		Transports: []string{"internal", "hybrid"}, Attachment: "platform", RelyingPartyID: "auth.example.com",
		Name: "passkey " + id, CreatedAt: base(),
	}}
}

func testDeviceRoundTrip(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	u := newUser(p.ID, "alice")
	insertUsers(t, s, u)
	d := newDevice(u, "us-east-1_d1")
	allSet(t, d)
	allSet(t, &d.Doc)
	must(t, "CreateDevice", s.CreateDevice(t.Context(), d))
	got, err := s.GetDevice(t.Context(), p.ID, d.Key)
	must(t, "GetDevice", err)
	same(t, "GetDevice", d, got)
	_, err = s.GetDevice(t.Context(), "us-east-1_other", d.Key)
	wantErr(t, "GetDevice in another pool", err, userpool.ErrNotFound)
}

func testDeviceCreateErrors(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	a, b := newUser(p.ID, "alice"), newUser(p.ID, "bob")
	insertUsers(t, s, a, b)
	must(t, "CreateDevice", s.CreateDevice(t.Context(), newDevice(a, "k1")))
	wantErr(t, "CreateDevice of a key that exists (another user's)", s.CreateDevice(t.Context(), newDevice(b, "k1")), userpool.ErrConflict)
	ghost := newUser(p.ID, "ghost")
	wantErr(t, "CreateDevice for a user that does not exist", s.CreateDevice(t.Context(), newDevice(ghost, "k2")), userpool.ErrNotFound)
	wantErr(t, "CreatePasskey for a user that does not exist", s.CreatePasskey(t.Context(), newPasskey(ghost, "c2")), userpool.ErrNotFound)
}

func testDeviceCreateRace(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	u := newUser(p.ID, "alice")
	insertUsers(t, s, u)
	errs := make([]error, 8)
	race(len(errs), func(i int) { errs[i] = s.CreateDevice(t.Context(), newDevice(u, "k1")) })
	oneWins(t, "CreateDevice", errs)
}

func testDeviceUpdateDelete(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	u := newUser(p.ID, "alice")
	insertUsers(t, s, u)
	d := newDevice(u, "k1")
	must(t, "CreateDevice", s.CreateDevice(t.Context(), d))
	d.Doc.Remembered, d.Doc.Name = false, "renamed"
	must(t, "UpdateDevice", s.UpdateDevice(t.Context(), d))
	got, err := s.GetDevice(t.Context(), p.ID, d.Key)
	must(t, "GetDevice", err)
	same(t, "GetDevice after UpdateDevice", d, got)
	must(t, "DeleteDevice", s.DeleteDevice(t.Context(), p.ID, d.Key))
	_, err = s.GetDevice(t.Context(), p.ID, d.Key)
	wantErr(t, "GetDevice after DeleteDevice", err, userpool.ErrNotFound)
	wantErr(t, "DeleteDevice again", s.DeleteDevice(t.Context(), p.ID, d.Key), userpool.ErrNotFound)
	wantErr(t, "UpdateDevice of a deleted device", s.UpdateDevice(t.Context(), d), userpool.ErrNotFound)
}

func testDeviceList(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	a, b := newUser(p.ID, "alice"), newUser(p.ID, "bob")
	insertUsers(t, s, a, b)
	for _, k := range []string{"k3", "k1", "k2"} {
		must(t, "CreateDevice", s.CreateDevice(t.Context(), newDevice(a, k)))
	}
	must(t, "CreateDevice", s.CreateDevice(t.Context(), newDevice(b, "k0")))
	keys := func(after string, limit int) []string {
		ds, err := s.ListDevices(t.Context(), p.ID, a.Sub, after, limit)
		must(t, "ListDevices", err)
		var out []string
		for _, d := range ds {
			if d.UserSub != a.Sub || d.PoolID != p.ID {
				t.Fatalf("ListDevices gave %+v, not alice's", d)
			}
			out = append(out, d.Key)
		}
		return out
	}
	same(t, "ListDevices all", []string{"k1", "k2", "k3"}, keys("", 0))
	same(t, "ListDevices first page", []string{"k1", "k2"}, keys("", 2))
	same(t, "ListDevices next page", []string{"k3"}, keys("k2", 2))
}

func testDeviceUserCascade(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	u := newUser(p.ID, "alice")
	insertUsers(t, s, u)
	d, k := newDevice(u, "k1"), newPasskey(u, "c1")
	must(t, "CreateDevice", s.CreateDevice(t.Context(), d))
	must(t, "CreatePasskey", s.CreatePasskey(t.Context(), k))

	u.Sub = "sub-alice-2" // a changed sub carries them along
	update(t, s, u)
	got, err := s.GetDevice(t.Context(), p.ID, d.Key)
	must(t, "GetDevice after the sub changed", err)
	if got.UserSub != u.Sub {
		t.Fatalf("device belongs to %q after the sub changed, want %q", got.UserSub, u.Sub)
	}
	gotK, err := s.GetPasskey(t.Context(), p.ID, k.ID)
	must(t, "GetPasskey after the sub changed", err)
	if gotK.UserSub != u.Sub {
		t.Fatalf("passkey belongs to %q after the sub changed, want %q", gotK.UserSub, u.Sub)
	}

	must(t, "DeleteUser", s.DeleteUser(t.Context(), p.ID, u.Key))
	_, err = s.GetDevice(t.Context(), p.ID, d.Key)
	wantErr(t, "GetDevice after DeleteUser", err, userpool.ErrNotFound)
	_, err = s.GetPasskey(t.Context(), p.ID, k.ID)
	wantErr(t, "GetPasskey after DeleteUser", err, userpool.ErrNotFound)

	v := newUser(p.ID, "victor")
	insertUsers(t, s, v)
	must(t, "CreateDevice", s.CreateDevice(t.Context(), newDevice(v, "k2")))
	must(t, "ResetPool", s.ResetPool(t.Context(), p.ID))
	_, err = s.GetDevice(t.Context(), p.ID, "k2")
	wantErr(t, "GetDevice after ResetPool", err, userpool.ErrNotFound)
}

func testPasskeyRoundTrip(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	u := newUser(p.ID, "alice")
	insertUsers(t, s, u)
	k := newPasskey(u, "AbC-_9")
	allSet(t, k)
	allSet(t, &k.Doc)
	must(t, "CreatePasskey", s.CreatePasskey(t.Context(), k))
	got, err := s.GetPasskey(t.Context(), p.ID, k.ID)
	must(t, "GetPasskey", err)
	same(t, "GetPasskey", k, got)
}

func testPasskeyCreateErrors(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	a, b := newUser(p.ID, "alice"), newUser(p.ID, "bob")
	insertUsers(t, s, a, b)
	must(t, "CreatePasskey", s.CreatePasskey(t.Context(), newPasskey(a, "c1")))
	wantErr(t, "CreatePasskey of a credential registered (by another user)", s.CreatePasskey(t.Context(), newPasskey(b, "c1")), userpool.ErrConflict)
	errs := make([]error, 8)
	race(len(errs), func(i int) { errs[i] = s.CreatePasskey(t.Context(), newPasskey(b, "c2")) })
	oneWins(t, "CreatePasskey", errs)
}

func testPasskeyUpdateDeleteList(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	u := newUser(p.ID, "alice")
	insertUsers(t, s, u)
	for i := range 3 {
		must(t, "CreatePasskey", s.CreatePasskey(t.Context(), newPasskey(u, fmt.Sprintf("c%d", i))))
	}
	k, err := s.GetPasskey(t.Context(), p.ID, "c1")
	must(t, "GetPasskey", err)
	k.Doc.SignCount = 8
	must(t, "UpdatePasskey", s.UpdatePasskey(t.Context(), k))
	ks, err := s.ListPasskeys(t.Context(), p.ID, u.Sub, "c0", 1)
	must(t, "ListPasskeys", err)
	if len(ks) != 1 {
		t.Fatalf("ListPasskeys after c0, limit 1: %d passkeys", len(ks))
	}
	same(t, "ListPasskeys after c0", k, ks[0])
	must(t, "DeletePasskey", s.DeletePasskey(t.Context(), p.ID, "c1"))
	if err := s.DeletePasskey(t.Context(), p.ID, "c1"); !errors.Is(err, userpool.ErrNotFound) {
		t.Fatalf("DeletePasskey again: %v, want ErrNotFound", err)
	}
	wantErr(t, "UpdatePasskey of a deleted passkey", s.UpdatePasskey(t.Context(), k), userpool.ErrNotFound)
	ks, err = s.ListPasskeys(t.Context(), p.ID, u.Sub, "", 0)
	must(t, "ListPasskeys", err)
	if len(ks) != 2 || ks[0].ID != "c0" || ks[1].ID != "c2" {
		t.Fatalf("ListPasskeys after a delete: %+v", ks)
	}
}
