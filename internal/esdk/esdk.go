// Package esdk encrypts the codes cognate hands to a pool's custom sender triggers
// (CustomEmailSender, CustomSMSSender) as Cognito does: in the AWS Encryption SDK message
// format, under a data key that KMS generates with the pool's KMS key, so that an unmodified
// sender function decrypts them with the AWS Encryption SDK (@aws-crypto/client-node's
// KmsKeyringNode and kms:Decrypt). It writes one format only: message format version 1,
// algorithm suite 0x0178 (AES-256-GCM, HKDF-SHA256, no signature), framed, with an empty
// encryption context. Cognito's own decrypt examples build the client with
// REQUIRE_ENCRYPT_ALLOW_DECRYPT, which is what reads a suite without key commitment. It does
// not decrypt.
package esdk

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"golang.org/x/crypto/hkdf"
)

// suite is ALG_AES_256_GCM_IV12_TAG16_HKDF_SHA256.
const suite = 0x0178

// frameLength is the frame length the header declares; a code fits in the final frame.
const frameLength = 4096

// ProviderID is the key provider of data keys KMS wraps.
const ProviderID = "aws-kms"

// Encrypt writes plaintext as an AWS Encryption SDK message: dataKey encrypts it, and the
// header carries encryptedKey, dataKey as KMS key keyARN wrapped it. random supplies the
// message ID.
func Encrypt(random io.Reader, dataKey []byte, keyARN string, encryptedKey, plaintext []byte) ([]byte, error) {
	if len(dataKey) != 32 {
		return nil, errors.New("esdk: the data key must be 32 bytes")
	}
	if len(plaintext) > frameLength {
		return nil, errors.New("esdk: plaintext longer than a frame")
	}
	messageID := make([]byte, 16)
	if _, err := io.ReadFull(random, messageID); err != nil {
		return nil, err
	}
	var h bytes.Buffer
	h.Write([]byte{0x01, 0x80}) // version 1.0, customer authenticated encrypted data
	binary.Write(&h, binary.BigEndian, uint16(suite))
	h.Write(messageID)
	binary.Write(&h, binary.BigEndian, uint16(0)) // an empty encryption context
	binary.Write(&h, binary.BigEndian, uint16(1)) // one encrypted data key
	for _, field := range [][]byte{[]byte(ProviderID), []byte(keyARN), encryptedKey} {
		binary.Write(&h, binary.BigEndian, uint16(len(field)))
		h.Write(field)
	}
	h.WriteByte(0x02)           // framed
	h.Write([]byte{0, 0, 0, 0}) // reserved
	h.WriteByte(12)             // IV length
	binary.Write(&h, binary.BigEndian, uint32(frameLength))
	header := h.Bytes()

	// The derived key: HKDF-SHA256 without salt, info = suite ID || message ID.
	info := append(binary.BigEndian.AppendUint16(nil, suite), messageID...)
	key := make([]byte, 32)
	if _, err := io.ReadFull(hkdf.New(sha256.New, dataKey, nil, info), key); err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	out := bytes.NewBuffer(append([]byte(nil), header...))
	// Header authentication: the tag of an empty plaintext with the header body as AAD,
	// under an all-zero IV (the frames' IVs carry their sequence numbers, never zero).
	headerIV := make([]byte, 12)
	out.Write(headerIV)
	out.Write(gcm.Seal(nil, headerIV, nil, header))

	// The one (final) frame, sequence number 1.
	const seq = 1
	iv := binary.BigEndian.AppendUint32(make([]byte, 8), seq)
	var aad bytes.Buffer
	aad.Write(messageID)
	aad.WriteString("AWSKMSEncryptionClient Final Frame")
	binary.Write(&aad, binary.BigEndian, uint32(seq))
	binary.Write(&aad, binary.BigEndian, uint64(len(plaintext)))
	sealed := gcm.Seal(nil, iv, plaintext, aad.Bytes())
	binary.Write(out, binary.BigEndian, uint32(0xFFFFFFFF)) // the final frame's marker
	binary.Write(out, binary.BigEndian, uint32(seq))
	out.Write(iv)
	binary.Write(out, binary.BigEndian, uint32(len(plaintext)))
	out.Write(sealed) // the ciphertext, then the 16-byte tag
	return out.Bytes(), nil
}

// KMSConfig says how to reach KMS.
type KMSConfig struct {
	// Endpoint is the base URL of a KMS-compatible service; empty means AWS's for Region.
	Endpoint string
	// Region is the region to sign for and, without Endpoint, to call. Required.
	Region string
	// Credentials sign the requests. Required.
	Credentials aws.CredentialsProvider
}

// Encrypter encrypts codes under a KMS key: KMS GenerateDataKey, then Encrypt.
type Encrypter struct {
	client *kms.Client
	random io.Reader
}

// NewKMS checks cfg and returns an Encrypter that draws message IDs from random (nil:
// crypto/rand); it calls nothing.
func NewKMS(cfg KMSConfig, random io.Reader) (*Encrypter, error) {
	if random == nil {
		random = rand.Reader
	}
	if cfg.Region == "" || cfg.Credentials == nil {
		return nil, errors.New("esdk: KMS needs a region and credentials")
	}
	var endpoint *string
	if cfg.Endpoint != "" {
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			return nil, fmt.Errorf("esdk: KMS endpoint %q: want http:// or https:// with a host and no user", cfg.Endpoint)
		}
		endpoint = aws.String(cfg.Endpoint)
	}
	return &Encrypter{client: kms.New(kms.Options{Region: cfg.Region, Credentials: cfg.Credentials, BaseEndpoint: endpoint}), random: random}, nil
}

// EncryptCode encrypts plaintext under a new data key of the KMS key keyID.
func (e *Encrypter) EncryptCode(ctx context.Context, keyID string, plaintext []byte) ([]byte, error) {
	out, err := e.client.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: aws.String(keyID), KeySpec: kmstypes.DataKeySpecAes256})
	if err != nil {
		return nil, fmt.Errorf("KMS GenerateDataKey: %w", err)
	}
	defer clear(out.Plaintext)
	return Encrypt(e.random, out.Plaintext, aws.ToString(out.KeyId), out.CiphertextBlob, plaintext)
}
