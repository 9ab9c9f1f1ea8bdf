#include "media/odata_query.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "common/strings.h"
#include "media/errors.h"

namespace twin::media {

struct FilterNode {
  enum Kind { literal, property, call, binary, negate } kind;
  Json value;        // literal
  std::string name;  // property, function or operator
  std::vector<std::unique_ptr<FilterNode>> args;
};

namespace {

using NodePtr = std::unique_ptr<FilterNode>;

NodePtr make(FilterNode::Kind kind, std::string name = {}, Json value = {}) {
  auto n = std::make_unique<FilterNode>();
  n->kind = kind;
  n->name = std::move(name);
  n->value = std::move(value);
  return n;
}

struct Token {
  enum Kind { end, word, string, number, open, close, comma } kind;
  std::string text;
  size_t at;
};

// Bounds on a $filter: the parser recurses once per nesting level (parentheses, function
// arguments, "not"), and evaluating and freeing the tree recurse once per node level. 7 000
// nested parentheses in a 14 KB URL overflowed the stack; real filters have a handful of terms.
constexpr int kMaxFilterDepth = 32;
constexpr size_t kMaxFilterTokens = 1000;

class Parser {
 public:
  Parser(std::string_view text, const EntitySet& set) : text_(text), set_(set) { next(); }

  NodePtr parse() {
    NodePtr n = parse_or();
    if (tok_.kind != Token::end) fail("unexpected '" + tok_.text + "'");
    return n;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw bad_request("Syntax error in $filter at position " + std::to_string(tok_.at) + ": " +
                      what);
  }

  // Counts one level of nesting for as long as it lives.
  class Nesting {
   public:
    explicit Nesting(Parser& p) : p_(p) {
      if (++p_.depth_ > kMaxFilterDepth)
        p_.fail("nested deeper than " + std::to_string(kMaxFilterDepth) + " levels");
    }
    ~Nesting() { --p_.depth_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    Parser& p_;
  };

  void next() {
    if (++tokens_ > kMaxFilterTokens)
      fail("more than " + std::to_string(kMaxFilterTokens) + " terms and operators");
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    size_t start = pos_;
    if (pos_ >= text_.size()) {
      tok_ = {Token::end, "end", start};
      return;
    }
    char c = text_[pos_];
    if (c == '(' || c == ')' || c == ',') {
      ++pos_;
      tok_ = {c == '('   ? Token::open
              : c == ')' ? Token::close
                         : Token::comma,
              std::string(1, c), start};
    } else if (c == '\'') {
      tok_ = {Token::string, read_string(), start};
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '-') {
      ++pos_;
      while (pos_ < text_.size() &&
             (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.'))
        ++pos_;
      tok_ = {Token::number, std::string(text_.substr(start, pos_ - start)), start};
      if (pos_ < text_.size() && std::strchr("LlDdMmFf", text_[pos_])) ++pos_;  // type suffix
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (pos_ < text_.size() &&
             (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_'))
        ++pos_;
      tok_ = {Token::word, std::string(text_.substr(start, pos_ - start)), start};
    } else {
      tok_ = {Token::word, std::string(1, c), start};
      fail("unexpected character '" + std::string(1, c) + "'");
    }
  }

  std::string read_string() {
    std::string out;
    ++pos_;
    while (true) {
      if (pos_ >= text_.size()) fail("unterminated string");
      char c = text_[pos_++];
      if (c == '\'') {
        if (pos_ < text_.size() && text_[pos_] == '\'') {
          out += '\'';
          ++pos_;
          continue;
        }
        return out;
      }
      out += c;
    }
  }

  bool word(const char* w) const { return tok_.kind == Token::word && tok_.text == w; }

  NodePtr parse_or() {
    Nesting level(*this);
    NodePtr left = parse_and();
    while (word("or")) {
      next();
      left = binary("or", std::move(left), parse_and());
    }
    return left;
  }

  NodePtr parse_and() {
    NodePtr left = parse_comparison();
    while (word("and")) {
      next();
      left = binary("and", std::move(left), parse_comparison());
    }
    return left;
  }

  NodePtr parse_comparison() {
    NodePtr left = parse_unary();
    for (const char* op : {"eq", "ne", "gt", "ge", "lt", "le"})
      if (word(op)) {
        next();
        return binary(op, std::move(left), parse_unary());
      }
    return left;
  }

  NodePtr parse_unary() {
    if (word("not")) {
      Nesting level(*this);
      next();
      NodePtr n = make(FilterNode::negate);
      n->args.push_back(parse_unary());
      return n;
    }
    return parse_primary();
  }

  NodePtr parse_primary() {
    Token t = tok_;
    switch (t.kind) {
      case Token::open: {
        next();
        NodePtr inner = parse_or();
        expect(Token::close, "')'");
        return inner;
      }
      case Token::string:
        next();
        return make(FilterNode::literal, {}, t.text);
      case Token::number:
        next();
        return make(FilterNode::literal, {}, number(t));
      case Token::word:
        return parse_word();
      default:
        fail("expected a value, found '" + t.text + "'");
    }
  }

  Json number(const Token& t) const {
    if (t.text.find('.') != std::string::npos) {
      // from_chars, not stod: "6.." or "-." must be a 400, not an exception the server
      // reports as its own 500 (found by odata_query_fuzz).
      double d = 0;
      auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), d);
      if (ec != std::errc() || end != t.text.data() + t.text.size() || !std::isfinite(d))
        fail("bad number " + t.text);
      return d;
    }
    int64_t v = 0;
    auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), v);
    if (ec != std::errc() || end != t.text.data() + t.text.size()) fail("bad number " + t.text);
    return v;
  }

  NodePtr parse_word() {
    Token t = tok_;
    next();
    if (t.text == "true" || t.text == "false")
      return make(FilterNode::literal, {}, t.text == "true");
    if (t.text == "null") return make(FilterNode::literal, {}, nullptr);
    if ((t.text == "datetime" || t.text == "guid" || t.text == "datetimeoffset") &&
        tok_.kind == Token::string) {
      std::string body = tok_.text;
      next();
      if (t.text == "guid") return make(FilterNode::literal, {}, body);
      auto ms = parse_datetime(body);
      if (!ms) fail("bad datetime '" + body + "'");
      return make(FilterNode::literal, {}, *ms);
    }
    if (tok_.kind == Token::open) return parse_call(t);
    if (!set_.property(t.text))
      throw bad_request("Could not find a property named '" + t.text + "' on type '" + set_.type +
                        "' in $filter");
    return make(FilterNode::property, t.text);
  }

  NodePtr parse_call(const Token& name) {
    static const std::vector<std::pair<std::string, size_t>> functions = {
        {"startswith", 2}, {"endswith", 2}, {"substringof", 2}, {"indexof", 2},
        {"tolower", 1},    {"toupper", 1},  {"length", 1},      {"trim", 1}};
    auto it = std::find_if(functions.begin(), functions.end(),
                           [&](const auto& f) { return f.first == name.text; });
    if (it == functions.end()) fail("unknown function '" + name.text + "'");
    next();  // '('
    NodePtr n = make(FilterNode::call, name.text);
    while (true) {
      n->args.push_back(parse_or());
      if (tok_.kind != Token::comma) break;
      next();
    }
    expect(Token::close, "')'");
    if (n->args.size() != it->second)
      fail(name.text + " takes " + std::to_string(it->second) + " arguments");
    return n;
  }

  void expect(Token::Kind kind, const char* what) {
    if (tok_.kind != kind) fail(std::string("expected ") + what + ", found '" + tok_.text + "'");
    next();
  }

  static NodePtr binary(const char* op, NodePtr l, NodePtr r) {
    NodePtr n = make(FilterNode::binary, op);
    n->args.push_back(std::move(l));
    n->args.push_back(std::move(r));
    return n;
  }

  std::string_view text_;
  const EntitySet& set_;
  size_t pos_ = 0;
  int depth_ = 0;      // nesting levels open now
  size_t tokens_ = 0;  // tokens read so far
  Token tok_{Token::end, "", 0};
};

Json evaluate(const FilterNode& n, const Json& e);

Json call(const FilterNode& n, const Json& e) {
  Json a = evaluate(*n.args[0], e);
  if (n.args.size() == 1) {
    if (!a.is_string()) return nullptr;
    std::string s = a.get<std::string>();
    if (n.name == "tolower") return str::to_lower(s);
    if (n.name == "toupper") {
      for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return s;
    }
    if (n.name == "length") return static_cast<int64_t>(s.size());
    return std::string(str::trim(s));
  }
  Json b = evaluate(*n.args[1], e);
  if (!a.is_string() || !b.is_string()) return n.name == "indexof" ? Json(-1) : Json(false);
  std::string x = a.get<std::string>(), y = b.get<std::string>();
  if (n.name == "startswith") return x.rfind(y, 0) == 0;
  if (n.name == "endswith")
    return x.size() >= y.size() && x.compare(x.size() - y.size(), y.size(), y) == 0;
  if (n.name == "substringof") return y.find(x) != std::string::npos;
  size_t at = x.find(y);
  return at == std::string::npos ? int64_t(-1) : static_cast<int64_t>(at);
}

bool compare(const std::string& op, const Json& a, const Json& b) {
  if (op == "eq") return a == b;
  if (op == "ne") return a != b;
  int order;
  if (a.is_number() && b.is_number()) {
    double x = a.get<double>(), y = b.get<double>();
    order = x < y ? -1 : x > y ? 1 : 0;
  } else if (a.is_string() && b.is_string()) {
    order = a.get<std::string>().compare(b.get<std::string>());
  } else {
    return false;
  }
  if (op == "gt") return order > 0;
  if (op == "ge") return order >= 0;
  if (op == "lt") return order < 0;
  return order <= 0;
}

bool truthy(const Json& v) {
  return v.is_boolean() && v.get<bool>();
}

Json evaluate(const FilterNode& n, const Json& e) {
  switch (n.kind) {
    case FilterNode::literal:
      return n.value;
    case FilterNode::property: {
      auto it = e.find(n.name);
      return it == e.end() ? Json() : *it;
    }
    case FilterNode::call:
      return call(n, e);
    case FilterNode::negate:
      return !truthy(evaluate(*n.args[0], e));
    case FilterNode::binary:
      if (n.name == "and")
        return truthy(evaluate(*n.args[0], e)) && truthy(evaluate(*n.args[1], e));
      if (n.name == "or") return truthy(evaluate(*n.args[0], e)) || truthy(evaluate(*n.args[1], e));
      return compare(n.name, evaluate(*n.args[0], e), evaluate(*n.args[1], e));
  }
  return nullptr;
}

size_t parse_count(const std::string& name, const std::string& text) {
  size_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size())
    throw bad_request("The value of " + name + " is not a non-negative integer: '" + text + "'");
  return v;
}

std::vector<std::string> property_list(const std::string& option, const std::string& text,
                                       const EntitySet& set) {
  std::vector<std::string> out;
  for (auto part : str::split(text, ',')) {
    std::string name(str::trim(part));
    if (name == "*") return {};
    if (!set.property(name))
      throw bad_request("Could not find a property named '" + name + "' on type '" + set.type +
                        "' in " + option);
    out.push_back(name);
  }
  return out;
}

}  // namespace

Filter::Filter(std::string_view text, const EntitySet& set) : root_(Parser(text, set).parse()) {}
Filter::~Filter() = default;
Filter::Filter(Filter&&) noexcept = default;
bool Filter::matches(const Json& entity) const {
  return truthy(evaluate(*root_, entity));
}

Query parse_query(const http::Target& target, const EntitySet& set) {
  Query q;
  for (const auto& p : target.params()) {
    if (p.name == "$filter") {
      q.filter.emplace(p.value, set);
    } else if (p.name == "$top") {
      q.top = std::min(parse_count("$top", p.value), kMaxPageSize);
    } else if (p.name == "$skip") {
      q.skip = parse_count("$skip", p.value);
    } else if (p.name == "$select") {
      q.select = property_list("$select", p.value, set);
    } else if (p.name == "$orderby") {
      for (auto part : str::split(p.value, ',')) {
        auto words = str::split(str::trim(part), ' ');
        std::string name(str::trim(words[0]));
        bool desc = words.size() > 1 && str::trim(words.back()) == "desc";
        property_list("$orderby", name, set);
        q.order_by.emplace_back(name, desc);
      }
    } else if (p.name == "$inlinecount") {
      q.inline_count = p.value == "allpages";
    } else if (p.name == "$expand") {
      throw bad_request("$expand is not supported");
    }
  }
  return q;
}

QueryResult apply_query(const Query& q, std::vector<Json> entities) {
  if (q.filter) std::erase_if(entities, [&](const Json& e) { return !q.filter->matches(e); });
  if (!q.order_by.empty())
    std::stable_sort(entities.begin(), entities.end(), [&](const Json& a, const Json& b) {
      for (const auto& [name, desc] : q.order_by) {
        Json x = a.value(name, Json()), y = b.value(name, Json());
        if (x == y) continue;
        return desc ? y < x : x < y;
      }
      return false;
    });
  QueryResult r;
  r.total = entities.size();
  size_t begin = std::min(q.skip, entities.size());
  size_t end = std::min(entities.size(), begin + q.top);
  r.entities.assign(std::make_move_iterator(entities.begin() + static_cast<ptrdiff_t>(begin)),
                    std::make_move_iterator(entities.begin() + static_cast<ptrdiff_t>(end)));
  return r;
}

}  // namespace twin::media
