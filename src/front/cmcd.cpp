#include "front/cmcd.h"

#include <array>
#include <charconv>

#include "common/strings.h"

namespace twin::front {
namespace {

// One member's value, as RFC 8941 writes it.
struct Item {
  enum class Kind { boolean, number, string, token } kind = Kind::boolean;
  bool boolean = true;  // a key with no value
  double number = 0;
  std::string text;  // string or token
};

// Reads a list member by member; `error` says where it went wrong.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool done() {
    skip_spaces();
    return pos_ >= text_.size();
  }

  // key[=value][;params], then a comma or the end.
  bool member(std::string& key, Item& item, std::string& error) {
    key = read_key();
    if (key.empty()) return fail(error, "a key was expected");
    item = Item{};
    if (peek() == '=') {
      ++pos_;
      if (!value(item, error)) return false;
    }
    while (peek() == ';') {  // parameters: read and ignored
      ++pos_;
      if (read_key().empty()) return fail(error, "a parameter key was expected");
      Item ignored;
      if (peek() == '=' && (++pos_, !bare_item(ignored, error))) return false;
    }
    skip_spaces();
    if (pos_ == text_.size()) return true;
    if (text_[pos_] != ',') return fail(error, "a comma was expected");
    ++pos_;
    return true;
  }

 private:
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void skip_spaces() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  bool fail(std::string& error, const std::string& what) {
    error = what + " at byte " + std::to_string(pos_);
    return false;
  }

  static bool key_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == '*';
  }
  std::string read_key() {
    skip_spaces();
    size_t start = pos_;
    while (pos_ < text_.size() && key_char(text_[pos_])) ++pos_;
    std::string key(text_.substr(start, pos_ - start));
    for (char& c : key)
      if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return key;
  }

  // A bare item, or an inner list "(a b ...)" read as its first item (CMCD 2's lists of one).
  bool value(Item& item, std::string& error) {
    if (peek() != '(') return bare_item(item, error);
    ++pos_;
    bool first = true;
    while (true) {
      skip_spaces();
      if (peek() == ')') {
        ++pos_;
        return true;
      }
      if (pos_ >= text_.size()) return fail(error, "an inner list is not closed");
      Item next;
      if (!bare_item(next, error)) return false;
      if (first) item = next;
      first = false;
    }
  }

  bool bare_item(Item& item, std::string& error) {
    char c = peek();
    if (c == '"') return quoted(item, error);
    if (c == '?') {  // RFC 8941 boolean
      ++pos_;
      char b = peek();
      if (b != '0' && b != '1') return fail(error, "a boolean must be ?0 or ?1");
      ++pos_;
      item.kind = Item::Kind::boolean;
      item.boolean = b == '1';
      return true;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return number(item, error);
    size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != ';' && text_[pos_] != ' ' &&
           text_[pos_] != ')' && text_[pos_] != '"')
      ++pos_;
    if (pos_ == start) return fail(error, "a value was expected");
    item.kind = Item::Kind::token;
    item.text = std::string(text_.substr(start, pos_ - start));
    if (item.text == "true" || item.text == "false") {  // CMCD 1 writes false as a word
      item.kind = Item::Kind::boolean;
      item.boolean = item.text == "true";
    }
    return true;
  }

  bool quoted(Item& item, std::string& error) {
    ++pos_;
    item.kind = Item::Kind::string;
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '"') return true;
      if (c == '\\') {
        if (pos_ >= text_.size() || (text_[pos_] != '"' && text_[pos_] != '\\'))
          return fail(error, "a string escapes only \\\" and \\\\");
        c = text_[pos_++];
      }
      item.text += c;
    }
    return fail(error, "a string is not closed");
  }

  bool number(Item& item, std::string& error) {
    size_t start = pos_;
    while (pos_ < text_.size() &&
           (text_[pos_] == '-' || text_[pos_] == '.' || (text_[pos_] >= '0' && text_[pos_] <= '9')))
      ++pos_;
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    auto [end, ec] = std::from_chars(first, last, item.number);
    if (ec != std::errc() || end != last) return fail(error, "a number is malformed");
    item.kind = Item::Kind::number;
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

bool refuse(std::string& error, std::string why) {
  error = std::move(why);
  return false;
}

bool numeric(const Item& item, std::optional<double>& into, const std::string& key,
             std::string& error) {
  if (item.kind != Item::Kind::number || item.number < 0)
    return refuse(error, key + " must be a non-negative number");
  into = item.number;
  return true;
}

bool apply(const std::string& key, const Item& item, Cmcd& into, std::string& error) {
  if (key == "sid") {
    if (item.kind != Item::Kind::string) return refuse(error, "sid must be a string");
    into.session_id = item.text;
  } else if (key == "bs") {
    if (item.kind != Item::Kind::boolean) return refuse(error, "bs must be a boolean");
    into.buffer_starvation = item.boolean;
  } else if (key == "bl") {
    return numeric(item, into.buffer_length_ms, key, error);
  } else if (key == "mtp") {
    return numeric(item, into.throughput_kbps, key, error);
  } else if (key == "ot") {
    if (item.kind != Item::Kind::token) return refuse(error, "ot must be a token");
    into.object_type = item.text;
  }
  return true;
}

}  // namespace

bool parse_cmcd(std::string_view text, Cmcd& into, std::string& error) {
  if (text.size() > kMaxCmcdBytes) {
    error = "longer than " + std::to_string(kMaxCmcdBytes) + " bytes";
    return false;
  }
  Reader reader(text);
  std::string key;
  Item item;
  while (!reader.done()) {
    if (!reader.member(key, item, error)) return false;
    if (!apply(key, item, into, error)) return false;
  }
  return true;
}

CmcdFound cmcd_from(const http::Target& target, const http::Request& request) {
  static constexpr std::array<std::string_view, 4> kHeaders = {"CMCD-Request", "CMCD-Object",
                                                               "CMCD-Status", "CMCD-Session"};
  CmcdFound found;
  Cmcd data;
  bool any = false;
  auto read = [&](std::string_view text, std::string_view where) {
    any = true;
    if (found.error.empty() && !parse_cmcd(text, data, found.error))
      found.error = std::string(where) + ": " + found.error;
  };
  if (auto query = target.param("CMCD")) read(*query, "CMCD query parameter");
  for (auto name : kHeaders) {
    auto it = request.find(name);
    if (it != request.end()) read(it->value(), name);
  }
  if (any && found.error.empty()) found.data = std::move(data);
  return found;
}

std::string without_cmcd(std::string_view target) {
  auto q = target.find('?');
  if (q == std::string_view::npos) return std::string(target);
  std::string out(target.substr(0, q));
  char separator = '?';
  for (auto part : str::split(target.substr(q + 1), '&')) {
    auto name = part.substr(0, part.find('='));
    if (str::iequals(name, "CMCD")) continue;
    out += separator;
    out += part;
    separator = '&';
  }
  return out;
}

}  // namespace twin::front
