package userpool

import "context"

// The stores of what surrounds a pool's users: the look of its hosted pages (classic UI
// customizations, managed login brandings), the terms documents its sign-up page links
// to, where its logs go, and the account's request-rate quotas.

// UICustomizationStore keeps classic hosted UI customizations (SetUICustomization): one
// for a pool's clients at large (ClientID "", AWS's ClientId ALL) and one per client.
type UICustomizationStore interface {
	// PutUICustomization stores the customization of u's pool or client, replacing the one
	// there was (of concurrent puts, the last to commit stands whole). ErrNotFound if the
	// pool or the client does not exist. Deleting the client deletes its customization,
	// and deleting the pool all of them.
	PutUICustomization(ctx context.Context, u *UICustomization) error
	// GetUICustomization returns the customization of a pool (clientID "") or of one of its
	// clients as last put, or ErrNotFound.
	GetUICustomization(ctx context.Context, poolID, clientID string) (*UICustomization, error)
	// DeleteUICustomization removes the customization of a pool (clientID "") or client;
	// removing one that is not there is not an error.
	DeleteUICustomization(ctx context.Context, poolID, clientID string) error
}

// UICustomization is a stored classic hosted UI customization.
type UICustomization struct {
	PoolID   string
	ClientID string // "" for the pool's (ClientId ALL)
	// CSS is the style sheet as given, nil when none was.
	CSS *string
	// Image is the logo as given and ImageType its media type ("image/png", "image/jpeg");
	// nil when none was.
	Image     []byte
	ImageType string
	// Version names this customization's CSS and logo (CSSVersion, and the ImageUrl's path),
	// so that a new one is a new URL.
	Version    string
	CreatedAt  Time
	ModifiedAt Time
}

// BrandingStore keeps managed login branding styles (CreateManagedLoginBranding), at most
// one per app client, as AWS enforces.
type BrandingStore interface {
	// CreateBranding stores a new style with Version 1 (set on b). ErrNotFound if the pool
	// or the client (in that pool) does not exist; ErrConflict if the client has a style
	// already or the id is taken. Of concurrent creates for one client, exactly one
	// succeeds. Deleting the client deletes its style.
	CreateBranding(ctx context.Context, b *Branding) error
	// GetBranding returns the pool's style with this id, or ErrNotFound.
	GetBranding(ctx context.Context, poolID, id string) (*Branding, error)
	// GetBrandingByClient returns the style of the pool's client, or ErrNotFound.
	GetBrandingByClient(ctx context.Context, poolID, clientID string) (*Branding, error)
	// UpdateBranding replaces the style's Doc if its stored version equals b.Version (else
	// ErrConflict; ErrNotFound if it is gone) and advances b.Version: a compare-and-set, so
	// that of concurrent updates read from one version exactly one succeeds.
	UpdateBranding(ctx context.Context, b *Branding) error
	// DeleteBranding removes the style, or answers ErrNotFound; of concurrent deletes one
	// succeeds.
	DeleteBranding(ctx context.Context, poolID, id string) error
}

// Branding is a stored managed login branding style: its description as
// DescribeManagedLoginBranding gives it, and the client it belongs to.
type Branding struct {
	PoolID   string
	ClientID string
	ID       string
	Doc      ManagedLoginBrandingType
	Version  int64
}

// TermsStore keeps terms documents (CreateTerms): per app client at most one of each name.
type TermsStore interface {
	// CreateTerms stores new terms with Version 1 (set on t). ErrNotFound if the pool or
	// the client (in that pool) does not exist; ErrConflict if the client has terms of
	// that name or the id is taken. Of concurrent creates of one name for one client,
	// exactly one succeeds. Deleting the client deletes its terms.
	CreateTerms(ctx context.Context, t *Terms) error
	// GetTerms returns the pool's terms with this id, or ErrNotFound.
	GetTerms(ctx context.Context, poolID, id string) (*Terms, error)
	// ListTerms returns at most limit of the pool's terms with ids greater than after, in
	// id order, read at one instant.
	ListTerms(ctx context.Context, poolID, after string, limit int) ([]*Terms, error)
	// ListClientTerms returns all terms of one client, in id order.
	ListClientTerms(ctx context.Context, poolID, clientID string) ([]*Terms, error)
	// UpdateTerms replaces the terms (Name and Doc) if the stored version equals t.Version
	// (else ErrConflict; ErrNotFound if they are gone) and advances t.Version; ErrConflict
	// too if the new name is another of the client's terms'.
	UpdateTerms(ctx context.Context, t *Terms) error
	// DeleteTerms removes the terms, or answers ErrNotFound.
	DeleteTerms(ctx context.Context, poolID, id string) error
}

// Terms are stored terms documents: their description as DescribeTerms gives it.
type Terms struct {
	PoolID   string
	ClientID string
	ID       string
	Name     string
	Doc      TermsType
	Version  int64
}

// LogDeliveryStore keeps pools' log delivery configurations (SetLogDeliveryConfiguration).
type LogDeliveryStore interface {
	// PutLogDelivery stores the pool's configuration, replacing the one there was (of
	// concurrent puts the last to commit stands whole); ErrNotFound if the pool does not
	// exist. Deleting the pool deletes it.
	PutLogDelivery(ctx context.Context, c *LogDeliveryConfigurationType) error
	// GetLogDelivery returns the pool's configuration as last put, or ErrNotFound.
	GetLogDelivery(ctx context.Context, poolID string) (*LogDeliveryConfigurationType, error)
}

// QuotaStore keeps the account's request-rate quotas: the provisioned limit of each
// category (UpdateProvisionedLimit) and the requests counted against them, so that every
// process serving one database shares one budget.
type QuotaStore interface {
	// TakeRequest counts one request of category in the one-second window that starts at
	// second (Unix seconds), unless the window holds the category's limit already: the
	// provisioned limit stored for it, else free. It answers whether the request was
	// counted. The read of the limit, the count and the increment are one atomic step: of
	// any number of concurrent takes, in one process or many, with room for k, exactly k
	// are counted. Windows a minute older than second may be forgotten.
	TakeRequest(ctx context.Context, category string, second int64, free int) (bool, error)
	// PutProvisionedLimit stores the provisioned limit of a category, replacing the one
	// there was (of concurrent puts the last to commit stands).
	PutProvisionedLimit(ctx context.Context, category string, value int) error
	// GetProvisionedLimit returns the provisioned limit stored for a category, or
	// ErrNotFound when none was.
	GetProvisionedLimit(ctx context.Context, category string) (int, error)
}
