/*
 * sha256.c: SHA-256 (FIPS 180-4) with no libc, a compute benchmark with large function bodies.
 *
 * Written from the specification: section 4.1.2 (functions), 4.2.2 (constants), 5.1.1
 * (padding), 5.3.3 (initial hash value) and 6.2.2 (hash computation). Built with -O3; the
 * 64-round compression loop is fully unrolled (pragma below), which gives the large function
 * bodies the benchmarks want.
 *
 * Exports:
 *   memory
 *   input_ptr() -> i32        pointer to a static 64 KiB input buffer
 *   hash(len) -> i32          hashes the first len bytes of the buffer (len clamped to
 *                             0..65536); returns a pointer to the 32-byte digest
 *   bench(iterations) -> i32  fills the buffer with byte i = (i * 2654435761 mod 2^32) >> 24,
 *                             then `iterations` times: hash all 64 KiB and copy the digest over
 *                             the buffer's first 32 bytes; returns the final digest's first 4
 *                             bytes as a big-endian i32 (0 if iterations < 1)
 * Imports: none.  Capabilities: (none).  Expected host outcome: healthy (no init or tick: it
 * is for `ota bench compute` and the intake vectors, not for running on a period).
 *
 * Build: clang --target=wasm32 -nostdlib -O3 -Wl,--no-entry (see build.sh).
 */

typedef unsigned int uint32_t;
typedef unsigned long long uint64_t;
typedef unsigned char uint8_t;

#define EXPORT(name) __attribute__((export_name(name)))

#define BUF_SIZE 65536

static uint8_t input[BUF_SIZE];
static uint8_t digest[32];

/* 4.2.2: first 32 bits of the fractional parts of the cube roots of the first 64 primes */
static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* 5.3.3: first 32 bits of the fractional parts of the square roots of the first 8 primes */
static const uint32_t H0[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

/* 4.1.2 */
static inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
static inline uint32_t ch(uint32_t x, uint32_t y, uint32_t z) { return (x & y) ^ (~x & z); }
static inline uint32_t maj(uint32_t x, uint32_t y, uint32_t z) { return (x & y) ^ (x & z) ^ (y & z); }
static inline uint32_t big_sigma0(uint32_t x) { return rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22); }
static inline uint32_t big_sigma1(uint32_t x) { return rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25); }
static inline uint32_t small_sigma0(uint32_t x) { return rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3); }
static inline uint32_t small_sigma1(uint32_t x) { return rotr(x, 17) ^ rotr(x, 19) ^ (x >> 10); }

static inline uint32_t load_be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* 6.2.2: one 512-bit block */
static void compress(uint32_t state[8], const uint8_t *block) {
    uint32_t w[64];
#pragma clang loop unroll(full)
    for (int t = 0; t < 16; t++) w[t] = load_be32(block + 4 * t);
#pragma clang loop unroll(full)
    for (int t = 16; t < 64; t++)
        w[t] = small_sigma1(w[t - 2]) + w[t - 7] + small_sigma0(w[t - 15]) + w[t - 16];

    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
#pragma clang loop unroll(full)
    for (int t = 0; t < 64; t++) {
        uint32_t t1 = h + big_sigma1(e) + ch(e, f, g) + K[t] + w[t];
        uint32_t t2 = big_sigma0(a) + maj(a, b, c);
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
}

EXPORT("input_ptr")
uint8_t *input_ptr(void) { return input; }

EXPORT("hash")
uint8_t *hash(int len) {
    uint32_t n = len < 0 ? 0 : (len > BUF_SIZE ? BUF_SIZE : (uint32_t)len);
    uint32_t state[8];
    for (int i = 0; i < 8; i++) state[i] = H0[i];

    uint32_t off = 0;
    for (; off + 64 <= n; off += 64) compress(state, input + off);

    /* 5.1.1: the rest, 0x80, zeros, then the length in bits as 64-bit big-endian */
    uint8_t tail[128];
    uint32_t rest = n - off;
    uint32_t tail_len = rest < 56 ? 64 : 128;
    for (uint32_t i = 0; i < tail_len; i++) tail[i] = i < rest ? input[off + i] : 0;
    tail[rest] = 0x80;
    uint64_t bits = (uint64_t)n * 8;
    store_be32(tail + tail_len - 8, (uint32_t)(bits >> 32));
    store_be32(tail + tail_len - 4, (uint32_t)bits);
    compress(state, tail);
    if (tail_len == 128) compress(state, tail + 64);

    for (int i = 0; i < 8; i++) store_be32(digest + 4 * i, state[i]);
    return digest;
}

EXPORT("bench")
int bench(int iterations) {
    for (uint32_t i = 0; i < BUF_SIZE; i++) input[i] = (uint8_t)((i * 2654435761u) >> 24);
    if (iterations < 1) return 0;
    for (int it = 0; it < iterations; it++) {
        hash(BUF_SIZE);
        for (int i = 0; i < 32; i++) input[i] = digest[i];
    }
    return (int)load_be32(digest);
}
