// XML text escaping for the responses we write by hand (parsing uses pugixml).
#pragma once

#include <string>
#include <string_view>

namespace twin::xml {

std::string escape(std::string_view text);
// True when every character may appear in XML 1.0 text.
bool is_valid_text(std::string_view utf8);

}  // namespace twin::xml
