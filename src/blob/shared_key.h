// Shared Key authorization: the canonical string to sign and its variants for the quirks of
// real clients (pre-2015 Content-Length "0", Date vs x-ms-date, the JS SDK's swapped
// Content-Encoding/Content-Language, culture-aware header sort).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/target.h"

namespace twin::blob {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct SigningInput {
  std::string method;
  HeaderList headers;  // all request headers, names as sent
  std::string raw_path;
  std::vector<http::QueryParam> params;
  std::string account;
};

struct SigningVariant {
  bool zero_length_literal = false;     // sign "0" for an empty body (x-ms-version < 2015-02-21)
  bool raw_date = false;                // sign the Date header even when x-ms-date is present
  bool swap_encoding_language = false;  // the JS SDK's order
  bool collation_sort = false;          // culture-aware x-ms-* order
};

std::string shared_key_string_to_sign(const SigningInput& in, const SigningVariant& variant);

// The variants worth trying for this request, the standard one first.
std::vector<SigningVariant> shared_key_variants(const SigningInput& in);

// Compares header names the way .NET's en-US culture and the JS SDK's table do, close enough
// for metadata names ('_' and '-' sort before digits and letters, case-insensitive first).
bool collation_less(std::string_view a, std::string_view b);

}  // namespace twin::blob
