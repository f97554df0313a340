/* SPDX-License-Identifier: BSD-3-Clause */
/* validate.c: verify the final reply's RRSIGs and denial proofs with the keys an anchor trusts. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/output.h"
#include "client/sigcount.h"
#include "client/validate.h"

#define VALIDATE_RFC "RFC 4035 section 5"
#define VALIDATE_ZONES_MAX 8   /* signer zones kept per answer: a CNAME chain's few */
#define VALIDATE_LINE_MAX 65536

int validate_load_anchor(ldns_rr_list **out, char *err, size_t errlen, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line;
	unsigned lineno = 0;
	int rc = 0;

	*out = NULL;
	if (f == NULL)
		return -errno;
	line = malloc(VALIDATE_LINE_MAX);
	*out = ldns_rr_list_new();
	if (line == NULL || *out == NULL) {
		rc = -ENOMEM;
		goto done;
	}
	while (fgets(line, VALIDATE_LINE_MAX, f) != NULL) {
		ldns_rr *rr = NULL;
		ldns_status st;
		char *p = line;

		lineno++;
		p += strspn(p, " \t\r\n");
		if (*p == '\0' || *p == ';')
			continue;
		st = ldns_rr_new_frm_str(&rr, p, 0, NULL, NULL);
		if (st != LDNS_STATUS_OK) {
			snprintf(err, errlen, "%s:%u: %s", path, lineno, ldns_get_errorstr_by_id(st));
			rc = -EINVAL;
			goto done;
		}
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_DS && ldns_rr_get_type(rr) != LDNS_RR_TYPE_DNSKEY) {
			snprintf(err, errlen, "%s:%u: a trust anchor is a DS or DNSKEY record", path, lineno);
			ldns_rr_free(rr);
			rc = -EINVAL;
			goto done;
		}
		ldns_rr_list_push_rr(*out, rr);
	}
	if (ferror(f))
		rc = -EIO;
	else if (ldns_rr_list_rr_count(*out) == 0) {
		snprintf(err, errlen, "%s: no DS or DNSKEY record", path);
		rc = -EINVAL;
	}
done:
	free(line);
	fclose(f);
	if (rc < 0) {
		ldns_rr_list_deep_free(*out);
		*out = NULL;
	}
	return rc;
}

/* Why a signature did not verify, in the words dualq(1) lists. */
static const char *sig_failure(ldns_status st)
{
	switch (st) {
	case LDNS_STATUS_CRYPTO_BOGUS:
		return "bogus signature";
	case LDNS_STATUS_CRYPTO_SIG_EXPIRED:
		return "expired";
	case LDNS_STATUS_CRYPTO_SIG_NOT_INCEPTED:
		return "not yet valid (inception in the future)";
	case LDNS_STATUS_CRYPTO_NO_MATCHING_KEYTAG_DNSKEY:
	case LDNS_STATUS_CRYPTO_NO_DNSKEY:
		return "no matching key";
	default:
		return ldns_get_errorstr_by_id(st);
	}
}

/* The keys of one signer zone: its DNSKEY set once trusted, or why it is not. */
struct zone_keys {
	ldns_rdf *zone;
	ldns_rr_list *keys;       /* NULL when not trusted */
	char why[240];
};

struct validation {
	struct verdicts *vd;
	const struct exchange *ex;
	const ldns_rr_list *anchor;
	unsigned timeout_ms;
	struct zone_keys zones[VALIDATE_ZONES_MAX];
	size_t nzones;
	int failed;
};

static void fail(struct validation *val, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct validation *val, const char *fmt, ...)
{
	char text[sizeof(((struct verdict *)0)->check)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	verdicts_add(val->vd, VALIDATE_RFC, "final", false, "validation: %s", text);
	val->failed++;
}

/* Asks the server for zone's DNSKEY set over TCP, DO set. Returns the reply or NULL with
 * why filled. */
static ldns_pkt *fetch_dnskeys(struct validation *val, const ldns_rdf *zone, char *why, size_t whylen)
{
	struct exchange *ex = calloc(1, sizeof(*ex));
	ldns_pkt *pkt = NULL;

	if (ex == NULL) {
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	ex->q = val->ex->q;
	memcpy(ex->q.qname, ldns_rdf_data(zone), ldns_rdf_size(zone));
	ex->q.qname_len = ldns_rdf_size(zone);
	ex->q.qtype = LDNS_RR_TYPE_DNSKEY;
	ex->q.edns = true;
	ex->q.dnssec = true;
	ex->q.cookie_len = 0;
	ex->server = val->ex->server;
	ex->server_len = val->ex->server_len;
	ex->source = val->ex->source;
	ex->source_len = val->ex->source_len;
	ex->nlegs = 1;
	if (exchange_tcp(&ex->legs[0], ex, val->timeout_ms) < 0)
		snprintf(why, whylen, "the DNSKEY query over tcp failed: %s", strerror(-ex->legs[0].err));
	else if (ldns_wire2pkt(&pkt, ex->legs[0].reply, ex->legs[0].reply_len) != LDNS_STATUS_OK)
		snprintf(why, whylen, "the DNSKEY reply could not be parsed");
	exchange_free(ex);
	free(ex);
	return pkt;
}

/* The RRSIGs of section sec of pkt over (owner, type). Caller deep-frees. */
static ldns_rr_list *sigs_of(const ldns_pkt *pkt, const ldns_rdf *owner, ldns_rr_type type,
			     ldns_pkt_section sec)
{
	ldns_rr_list *all = ldns_pkt_rr_list_by_name_and_type(pkt, owner, LDNS_RR_TYPE_RRSIG, sec);
	ldns_rr_list *out = ldns_rr_list_new();

	for (size_t i = 0; all != NULL && i < ldns_rr_list_rr_count(all); i++) {
		ldns_rr *s = ldns_rr_list_rr(all, i);
		if (ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(s)) == type)
			ldns_rr_list_push_rr(out, ldns_rr_clone(s));
	}
	ldns_rr_list_deep_free(all);
	return out;
}

/* "owner/TYPE" of rr. */
static void set_name(char *buf, size_t buflen, const ldns_rdf *owner, ldns_rr_type type)
{
	char *o = ldns_rdf2str(owner), *t = ldns_rr_type2str(type);

	snprintf(buf, buflen, "%s/%s", o ? o : "?", t ? t : "?");
	free(o);
	free(t);
}

/* Verifies rrset with each of its sigs against keys. Returns true when one verifies;
 * otherwise adds a failure per signature naming its key tag and why. */
static bool verify_set(struct validation *val, ldns_rr_list *rrset, const ldns_rr_list *sigs,
		       const ldns_rr_list *keys, const char *what)
{
	ldns_status st[16];
	size_t n = ldns_rr_list_rr_count(sigs);

	if (n == 0) {
		fail(val, "%s: missing signature (no RRSIG covers it)", what);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		ldns_rr_list *good = ldns_rr_list_new();
		ldns_status s = ldns_verify_rrsig_keylist(rrset, ldns_rr_list_rr(sigs, i), keys, good);
		ldns_rr_list_free(good);
		if (s == LDNS_STATUS_OK)
			return true;
		if (i < sizeof(st) / sizeof(st[0]))
			st[i] = s;
	}
	for (size_t i = 0; i < n && i < sizeof(st) / sizeof(st[0]); i++)
		fail(val, "%s RRSIG key tag %u: %s", what,
		     (unsigned)ldns_rdf2native_int16(ldns_rr_rrsig_keytag(ldns_rr_list_rr(sigs, i))),
		     sig_failure(st[i]));
	return false;
}

/* The anchor's keys that are in (or are) zone's DNSKEY set: DNSKEYs of the anchor as they
 * are, DS records as the DNSKEYs whose digest they match (RFC 4035 section 5.2). */
static ldns_rr_list *anchored_keys(const ldns_rr_list *anchor, const ldns_rr_list *dnskeys,
				   const ldns_rdf *zone)
{
	ldns_rr_list *out = ldns_rr_list_new();

	for (size_t i = 0; i < ldns_rr_list_rr_count(anchor); i++) {
		ldns_rr *a = ldns_rr_list_rr(anchor, i);
		if (ldns_dname_compare(ldns_rr_owner(a), zone) != 0)
			continue;
		if (ldns_rr_get_type(a) == LDNS_RR_TYPE_DNSKEY) {
			ldns_rr_list_push_rr(out, a);
			continue;
		}
		for (size_t k = 0; k < ldns_rr_list_rr_count(dnskeys); k++)
			if (ldns_rr_compare_ds(a, ldns_rr_list_rr(dnskeys, k)))
				ldns_rr_list_push_rr(out, ldns_rr_list_rr(dnskeys, k));
	}
	return out;
}

/* Fetches and trusts the DNSKEY set of zone; fills z. */
static void trust_zone(struct validation *val, struct zone_keys *z)
{
	char zname[300];
	ldns_pkt *pkt = fetch_dnskeys(val, z->zone, z->why, sizeof(z->why));
	ldns_rr_list *keys = NULL, *sigs = NULL, *trusted = NULL;

	set_name(zname, sizeof(zname), z->zone, LDNS_RR_TYPE_DNSKEY);
	if (pkt == NULL)
		return;
	keys = ldns_pkt_rr_list_by_name_and_type(pkt, z->zone, LDNS_RR_TYPE_DNSKEY, LDNS_SECTION_ANSWER);
	if (keys == NULL || ldns_rr_list_rr_count(keys) == 0) {
		snprintf(z->why, sizeof(z->why), "the server returned no DNSKEY for the zone");
		goto done;
	}
	trusted = anchored_keys(val->anchor, keys, z->zone);
	if (ldns_rr_list_rr_count(trusted) == 0) {
		snprintf(z->why, sizeof(z->why), "no matching key: no DNSKEY of the zone matches a DS "
			 "or DNSKEY of the anchor for it");
		goto done;
	}
	sigs = sigs_of(pkt, z->zone, LDNS_RR_TYPE_DNSKEY, LDNS_SECTION_ANSWER);
	if (!verify_set(val, keys, sigs, trusted, zname)) {
		snprintf(z->why, sizeof(z->why), "its DNSKEY set is not signed by a key the anchor trusts");
		goto done;
	}
	z->keys = keys;
	keys = NULL;
done:
	ldns_rr_list_free(trusted);
	ldns_rr_list_deep_free(sigs);
	ldns_rr_list_deep_free(keys);
	ldns_pkt_free(pkt);
}

/* The trusted keys of the zone that signed with sig, fetched once per zone; NULL (with
 * the failure added once) when they cannot be trusted. */
static const ldns_rr_list *keys_for(struct validation *val, const ldns_rr *sig)
{
	const ldns_rdf *signer = ldns_rr_rrsig_signame(sig);
	char zname[300];

	for (size_t i = 0; i < val->nzones; i++)
		if (ldns_dname_compare(val->zones[i].zone, signer) == 0)
			return val->zones[i].keys;
	if (val->nzones == VALIDATE_ZONES_MAX)
		return NULL;
	struct zone_keys *z = &val->zones[val->nzones++];
	z->zone = ldns_rdf_clone(signer);
	trust_zone(val, z);
	if (z->keys == NULL) {
		set_name(zname, sizeof(zname), z->zone, LDNS_RR_TYPE_DNSKEY);
		fail(val, "%s: %s", zname, z->why);
	}
	return z->keys;
}

/* Is the record at index i of section list the first of its RRset there? */
static bool first_of_set(const ldns_rr_list *list, size_t i)
{
	const ldns_rr *rr = ldns_rr_list_rr(list, i);

	for (size_t j = 0; j < i; j++) {
		const ldns_rr *o = ldns_rr_list_rr(list, j);
		if (ldns_rr_get_type(o) == ldns_rr_get_type(rr) &&
		    ldns_dname_compare(ldns_rr_owner(o), ldns_rr_owner(rr)) == 0)
			return false;
	}
	return true;
}

/* Is rr a CNAME below a DNAME of the answer (synthesized, unsigned: RFC 6672 section 5.3.1)? */
static bool synthesized(const ldns_pkt *pkt, const ldns_rr *rr)
{
	const ldns_rr_list *an = ldns_pkt_answer(pkt);

	if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_CNAME)
		return false;
	for (size_t i = 0; i < ldns_rr_list_rr_count(an); i++) {
		const ldns_rr *d = ldns_rr_list_rr(an, i);
		if (ldns_rr_get_type(d) == LDNS_RR_TYPE_DNAME &&
		    ldns_dname_is_subdomain(ldns_rr_owner(rr), ldns_rr_owner(d)))
			return true;
	}
	return false;
}

/* Verifies every RRset of one section; returns how many did not verify. */
static unsigned verify_section(struct validation *val, const ldns_pkt *pkt, ldns_pkt_section sec,
			       const ldns_rr_list *list)
{
	unsigned bad = 0;
	char what[300];

	for (size_t i = 0; i < ldns_rr_list_rr_count(list); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(list, i);
		ldns_rr_type t = ldns_rr_get_type(rr);
		bool referral = !ldns_pkt_aa(pkt);

		if (t == LDNS_RR_TYPE_RRSIG || !first_of_set(list, i) || synthesized(pkt, rr) ||
		    (referral && sec == LDNS_SECTION_AUTHORITY && t == LDNS_RR_TYPE_NS))
			continue;
		ldns_rr_list *set = ldns_pkt_rr_list_by_name_and_type(pkt, ldns_rr_owner(rr), t, sec);
		ldns_rr_list *sigs = sigs_of(pkt, ldns_rr_owner(rr), t, sec);
		const ldns_rr_list *keys = NULL;
		set_name(what, sizeof(what), ldns_rr_owner(rr), t);
		if (ldns_rr_list_rr_count(sigs) > 0)
			keys = keys_for(val, ldns_rr_list_rr(sigs, 0));
		if (ldns_rr_list_rr_count(sigs) == 0)
			verify_set(val, set, sigs, NULL, what), bad++;
		else if (keys == NULL)
			bad++;
		else if (!verify_set(val, set, sigs, keys, what))
			bad++;
		ldns_rr_list_deep_free(set);
		ldns_rr_list_deep_free(sigs);
	}
	return bad;
}

/* Records of type t in the authority section, and the RRSIGs there. Caller deep-frees. */
static ldns_rr_list *authority_of(const ldns_pkt *pkt, ldns_rr_type t)
{
	return ldns_pkt_rr_list_by_type(pkt, t, LDNS_SECTION_AUTHORITY);
}

/* An NSEC3 that matches the hash of name and has neither type nor CNAME in its bitmap:
 * the NODATA proof of RFC 5155 sections 8.5 and 8.6. Checked here first because ldns
 * 1.8.3's ldns_dnssec_verify_denial_nsec3() leaks the hashed name when it finds it. */
static bool nsec3_nodata_match(const ldns_rr_list *nsec3, const ldns_rdf *name, ldns_rr_type type)
{
	bool found = false;
	size_t i;

	for (i = 0; i < ldns_rr_list_rr_count(nsec3) && !found; i++) {
		ldns_rr *rr = ldns_rr_list_rr(nsec3, i);
		ldns_rdf *zone = ldns_dname_left_chop(ldns_rr_owner(rr));
		ldns_rdf *hashed = ldns_nsec3_hash_name_frm_nsec3(rr, (ldns_rdf *)name);

		if (zone != NULL && hashed != NULL && ldns_dname_cat(hashed, zone) == LDNS_STATUS_OK &&
		    ldns_dname_compare(hashed, ldns_rr_owner(rr)) == 0)
			found = !ldns_nsec_bitmap_covers_type(ldns_nsec3_bitmap(rr), type) &&
				!ldns_nsec_bitmap_covers_type(ldns_nsec3_bitmap(rr), LDNS_RR_TYPE_CNAME);
		ldns_rdf_deep_free(zone);
		ldns_rdf_deep_free(hashed);
	}
	return found;
}

/* The denial for (name, type): NSEC (RFC 4035 section 5.4) or NSEC3 (RFC 5155 section 8). */
static void check_denial(struct validation *val, const ldns_pkt *pkt, const ldns_rdf *name,
			 ldns_rr_type type, const char *what)
{
	ldns_rr_list *nsec = authority_of(pkt, LDNS_RR_TYPE_NSEC);
	ldns_rr_list *nsec3 = authority_of(pkt, LDNS_RR_TYPE_NSEC3);
	ldns_rr_list *sigs = authority_of(pkt, LDNS_RR_TYPE_RRSIG);
	ldns_rr *q = ldns_rr_new();
	ldns_status st;

	ldns_rr_set_owner(q, ldns_rdf_clone(name));
	ldns_rr_set_type(q, type);
	ldns_rr_set_class(q, LDNS_RR_CLASS_IN);
	if (nsec != NULL && ldns_rr_list_rr_count(nsec) > 0)
		st = ldns_dnssec_verify_denial(q, nsec, sigs);
	else if (nsec3 != NULL && ldns_rr_list_rr_count(nsec3) > 0 &&
		 ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NOERROR &&
		 nsec3_nodata_match(nsec3, name, type))
		st = LDNS_STATUS_OK;
	else if (nsec3 != NULL && ldns_rr_list_rr_count(nsec3) > 0)
		st = ldns_dnssec_verify_denial_nsec3(q, nsec3, sigs, ldns_pkt_get_rcode(pkt), type,
						     ldns_rr_list_rr_count(ldns_pkt_answer(pkt)) == 0);
	else
		st = LDNS_STATUS_CRYPTO_NO_RRSIG;
	if (st == LDNS_STATUS_CRYPTO_NO_RRSIG && (nsec == NULL || ldns_rr_list_rr_count(nsec) == 0) &&
	    (nsec3 == NULL || ldns_rr_list_rr_count(nsec3) == 0))
		fail(val, "%s: missing proof: no NSEC or NSEC3 in the authority section", what);
	else if (st != LDNS_STATUS_OK)
		fail(val, "%s: the %s records do not prove it: %s", what,
		     nsec != NULL && ldns_rr_list_rr_count(nsec) > 0 ? "NSEC" : "NSEC3",
		     ldns_get_errorstr_by_id(st));
	ldns_rr_free(q);
	ldns_rr_list_deep_free(nsec);
	ldns_rr_list_deep_free(nsec3);
	ldns_rr_list_deep_free(sigs);
}

/* Does one NSEC of the authority section cover name, or one NSEC3 the hash of name? An
 * NSEC owned by name itself says the name exists, so it does not. */
static bool denial_covers(const ldns_pkt *pkt, const ldns_rdf *name)
{
	const ldns_rr_list *ns = ldns_pkt_authority(pkt);
	bool covered = false;

	for (size_t i = 0; i < ldns_rr_list_rr_count(ns) && !covered; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(ns, i);
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_NSEC) {
			covered = ldns_dname_compare(ldns_rr_owner(rr), name) != 0 &&
				  ldns_nsec_covers_name(rr, name);
			continue;
		}
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NSEC3)
			continue;
		ldns_rdf *hash = ldns_nsec3_hash_name_frm_nsec3(rr, (ldns_rdf *)name);
		ldns_rdf *zone = ldns_dname_left_chop(ldns_rr_owner(rr));
		if (hash != NULL && zone != NULL && ldns_dname_label_count(hash) == 1 &&
		    ldns_dname_cat(hash, zone) == LDNS_STATUS_OK)
			covered = ldns_nsec_covers_name(rr, hash);
		ldns_rdf_deep_free(hash);
		ldns_rdf_deep_free(zone);
	}
	return covered;
}

/* An answer RRset whose RRSIG has fewer labels than its owner was expanded from a
 * wildcard: the answer must prove that the name itself does not exist (RFC 4035 section
 * 5.3.4): an NSEC covering it, or an NSEC3 covering the next closer name (RFC 5155
 * section 8.8), the owner cut to one label more than the RRSIG's count. */
static void check_wildcards(struct validation *val, const ldns_pkt *pkt)
{
	const ldns_rr_list *an = ldns_pkt_answer(pkt);
	char what[300];

	for (size_t i = 0; i < ldns_rr_list_rr_count(an); i++) {
		const ldns_rr *sig = ldns_rr_list_rr(an, i);
		if (ldns_rr_get_type(sig) != LDNS_RR_TYPE_RRSIG || ldns_dname_is_wildcard(ldns_rr_owner(sig)))
			continue;
		unsigned labels = ldns_rdf2native_int8(ldns_rr_rrsig_labels(sig));
		if (labels >= ldns_dname_label_count(ldns_rr_owner(sig)))
			continue;
		ldns_rdf *next = ldns_rdf_clone(ldns_rr_owner(sig));
		while (next != NULL && ldns_dname_label_count(next) > labels + 1) {
			ldns_rdf *up = ldns_dname_left_chop(next);
			ldns_rdf_deep_free(next);
			next = up;
		}
		ldns_rr_type t = ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(sig));
		set_name(what, sizeof(what), ldns_rr_owner(sig), t);
		if (next == NULL || (!denial_covers(pkt, ldns_rr_owner(sig)) && !denial_covers(pkt, next)))
			fail(val, "%s: missing proof: a wildcard expansion without the NSEC or NSEC3 "
			     "that the name does not exist (RFC 4035 section 5.3.4)", what);
		ldns_rdf_deep_free(next);
	}
}

/* The NS owner of a referral's authority section, or NULL. */
static const ldns_rdf *referral_cut(const ldns_pkt *pkt)
{
	const ldns_rr_list *ns = ldns_pkt_authority(pkt);

	if (ldns_pkt_aa(pkt) || ldns_rr_list_rr_count(ldns_pkt_answer(pkt)) > 0)
		return NULL;
	for (size_t i = 0; i < ldns_rr_list_rr_count(ns); i++)
		if (ldns_rr_get_type(ldns_rr_list_rr(ns, i)) == LDNS_RR_TYPE_NS)
			return ldns_rr_owner(ldns_rr_list_rr(ns, i));
	return NULL;
}

/* The answer's kind and the proofs it needs beyond its RRsets' signatures. */
static void check_proofs(struct validation *val, const ldns_pkt *pkt)
{
	const ldns_rr_list *qd = ldns_pkt_question(pkt);
	const ldns_rdf *cut = referral_cut(pkt);
	char what[300];

	if (ldns_rr_list_rr_count(qd) == 0)
		return;
	const ldns_rr *q = ldns_rr_list_rr(qd, 0);
	if (cut != NULL) {
		ldns_rr_list *ds = ldns_pkt_rr_list_by_name_and_type(pkt, cut, LDNS_RR_TYPE_DS,
								     LDNS_SECTION_AUTHORITY);
		set_name(what, sizeof(what), cut, LDNS_RR_TYPE_DS);
		/* A DS set is verified with the other RRsets, by the parent's keys; without
		 * one the referral must prove there is none (RFC 4035 section 5.2). */
		if (ds == NULL || ldns_rr_list_rr_count(ds) == 0)
			check_denial(val, pkt, cut, LDNS_RR_TYPE_DS, what);
		ldns_rr_list_deep_free(ds);
		return;
	}
	set_name(what, sizeof(what), ldns_rr_owner(q), ldns_rr_get_type(q));
	if (ldns_pkt_get_rcode(pkt) != LDNS_RCODE_NOERROR && ldns_pkt_get_rcode(pkt) != LDNS_RCODE_NXDOMAIN) {
		char *rc = ldns_pkt_rcode2str(ldns_pkt_get_rcode(pkt));
		fail(val, "%s: RCODE %s: neither an answer nor a denial to validate", what, rc ? rc : "?");
		free(rc);
		return;
	}
	if (ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NXDOMAIN ||
	    (ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NOERROR &&
	     ldns_rr_list_rr_count(ldns_pkt_answer(pkt)) == 0))
		check_denial(val, pkt, ldns_rr_owner(q), ldns_rr_get_type(q), what);
	else
		check_wildcards(val, pkt);
}

int validate_answer(struct verdicts *vd, const struct exchange *ex, const ldns_rr_list *anchor,
		    unsigned timeout_ms)
{
	struct validation val = { .vd = vd, .ex = ex, .anchor = anchor, .timeout_ms = timeout_ms };
	const struct leg *l = output_final_leg(ex);
	ldns_pkt *pkt = NULL;
	unsigned sets = 0;

	vd->validated = VALIDATE_BOGUS;
	if (l == NULL || ldns_wire2pkt(&pkt, l->reply, l->reply_len) != LDNS_STATUS_OK) {
		fail(&val, "no answer that ldns can parse");
		return val.failed;
	}
	if (ldns_pkt_tc(pkt))
		fail(&val, "the final answer is truncated: its signatures may be missing");
	else {
		verify_section(&val, pkt, LDNS_SECTION_ANSWER, ldns_pkt_answer(pkt));
		verify_section(&val, pkt, LDNS_SECTION_AUTHORITY, ldns_pkt_authority(pkt));
		check_proofs(&val, pkt);
		sets = ldns_rr_list_rr_count(ldns_pkt_answer(pkt)) +
		       ldns_rr_list_rr_count(ldns_pkt_authority(pkt));
	}
	if (val.failed == 0) {
		vd->validated = VALIDATE_SECURE;
		verdicts_add(vd, VALIDATE_RFC, "final", true, "validated: secure (%u records of "
			     "answer and authority, %zu signer zone%s trusted from the anchor)", sets,
			     val.nzones, val.nzones == 1 ? "" : "s");
	}
	for (size_t i = 0; i < val.nzones; i++) {
		ldns_rdf_deep_free(val.zones[i].zone);
		ldns_rr_list_deep_free(val.zones[i].keys);
	}
	ldns_pkt_free(pkt);
	return val.failed;
}
