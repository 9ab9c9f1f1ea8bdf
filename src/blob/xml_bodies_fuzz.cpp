// Fuzz target: the Blob XML request bodies, Put Block List's <BlockList> and Set Container ACL's
// <SignedIdentifiers>. A bad document must be a StorageError (400 InvalidXmlDocument), nothing
// else.
#include "blob/errors.h"
#include "blob/xml_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  try {
    twin::blob::xmlfmt::parse_block_list(body);
  } catch (const twin::blob::StorageError&) {
  }
  try {
    twin::blob::xmlfmt::signed_identifiers(twin::blob::xmlfmt::parse_signed_identifiers(body));
  } catch (const twin::blob::StorageError&) {
  }
  return 0;
}
