// SPDX-License-Identifier: GPL-2.0-or-later
/* CRC-32 and SHA-256 against published answers (the CRC "check" value of
 * the catalogue of parametrised CRCs; FIPS 180-4's examples; a million
 * 'a's), and SHA-256 fed in pieces against the whole. */
#include "test-helpers.h"
#include <partita/digest.h>

static void hex(const uint8_t *d, char *out)
{
	for (unsigned i = 0; i < SHA256_DIGEST_SIZE; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void test_crc32(void **state)
{
	(void)state;
	assert_int_equal(crc32("123456789", 9), 0xcbf43926);
	assert_int_equal(crc32("", 0), 0);
	assert_int_equal(crc32("The quick brown fox jumps over the lazy dog", 43),
			 0x414fa339);
}

static void test_sha256_vectors(void **state)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	char h[65];
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	(void)state;
	sha256("abc", 3, d);
	hex(d, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256("", 0, d);
	hex(d, h);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256(two, strlen(two), d);
	hex(d, h);
	assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_sha256_pieces(void **state)
{
	static uint8_t mil[1000000];
	uint8_t whole[SHA256_DIGEST_SIZE], parts[SHA256_DIGEST_SIZE];
	struct sha256 s;
	char h[65];

	(void)state;
	memset(mil, 'a', sizeof(mil));
	sha256(mil, sizeof(mil), whole);
	hex(whole, h);
	assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	sha256_init(&s);
	for (size_t off = 0, n = 1; off < sizeof(mil); off += n, n = n * 3 % 997 + 1)
		sha256_update(&s, mil + off, off + n > sizeof(mil) ? sizeof(mil) - off : n);
	sha256_final(&s, parts);
	assert_memory_equal(whole, parts, sizeof(whole));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32),
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_sha256_pieces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
