#include "front/front_config.h"

#include <toml++/toml.h>
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace twin::front {
namespace {

[[noreturn]] void fail(const std::string& source, const toml::node& node, const std::string& key,
                       const std::string& why) {
  throw FrontConfigError(source + ":" + std::to_string(node.source().begin.line) + ": " + key +
                         ": " + why);
}

void refuse_unknown(const toml::table& table, const std::set<std::string>& known,
                    const std::string& prefix, const std::string& source) {
  for (const auto& [key, node] : table)
    if (!known.count(std::string(key.str())))
      fail(source, node, prefix + std::string(key.str()), "unknown key");
}

std::string required_string(const toml::table& t, const char* key, const std::string& prefix,
                            const std::string& source) {
  const toml::node* node = t.get(key);
  auto value = node ? node->value<std::string>() : std::nullopt;
  if (!value || value->empty())
    fail(source, node ? *node : static_cast<const toml::node&>(t), prefix + key,
         node ? "must be a non-empty string" : "missing");
  return *value;
}

// A positive integer of milliseconds or a count, within bounds.
int64_t bounded(const toml::table& t, const char* key, int64_t fallback, int64_t low, int64_t high,
                const std::string& source) {
  const toml::node* node = t.get(key);
  if (!node) return fallback;
  auto v = node->value<int64_t>();
  if (!v || *v < low || *v > high)
    fail(source, *node, std::string("front.") + key,
         "must be an integer from " + std::to_string(low) + " to " + std::to_string(high));
  return *v;
}

OriginConfig origin_from(const toml::table& t, int index, const std::string& source) {
  std::string prefix = "front.origins[" + std::to_string(index) + "].";
  refuse_unknown(t, {"name", "url", "priority", "weight", "host"}, prefix, source);
  OriginConfig o;
  o.name = required_string(t, "name", prefix, source);
  o.url = required_string(t, "url", prefix, source);
  if (!o.url.starts_with("http://"))
    fail(source, *t.get("url"), prefix + "url", "must be an http:// URL");
  o.priority = static_cast<int>(t["priority"].value_or(int64_t{index}));
  o.weight = static_cast<int>(t["weight"].value_or(int64_t{1}));
  if (o.weight < 1 || o.weight > 1000)
    fail(source, *t.get("weight"), prefix + "weight", "must be from 1 to 1000");
  o.host = t["host"].value_or(std::string());
  return o;
}

}  // namespace

FrontConfig parse_front_config(std::string_view toml_text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    throw FrontConfigError(source + ":" + std::to_string(e.source().begin.line) + ": " +
                           std::string(e.description()));
  }
  FrontConfig c;
  const toml::table* front = root["front"].as_table();
  if (!front) throw FrontConfigError(source + ": no [front] section");
  refuse_unknown(root, {"front", "streaming"}, "", source);
  if (const toml::table* streaming = root["streaming"].as_table())
    refuse_unknown(*streaming, {"steering"}, "streaming.", source);
  try {
    c.steering = config::steering_from_toml(toml_text, source);
  } catch (const std::invalid_argument& e) {
    throw FrontConfigError(source + ": " + e.what());
  }
  refuse_unknown(
      *front,
      {"listen", "admin_listen", "origins", "probe_path", "probe_interval_ms", "probe_timeout_ms",
       "first_byte_timeout_ms", "body_timeout_ms", "rise", "fall", "cache_bytes", "cache_dir",
       "admin_key", "steering_requests_per_second", "profiles"},
      "front.", source);
  if (const toml::node* listen = front->get("listen")) {
    try {
      c.listen = config::parse_endpoint(listen->value_or(std::string()));
    } catch (const std::exception& e) {
      fail(source, *listen, "front.listen", e.what());
    }
  }
  if (const toml::node* admin = front->get("admin_listen")) {
    try {
      c.admin_listen = config::parse_endpoint(admin->value_or(std::string()));
    } catch (const std::exception& e) {
      fail(source, *admin, "front.admin_listen", e.what());
    }
  }
  if (const toml::node* origins = front->get("origins")) {
    const toml::array* list = origins->as_array();
    if (!list) fail(source, *origins, "front.origins", "must be an array of tables");
    for (size_t i = 0; i < list->size(); ++i) {
      const toml::table* t = (*list)[i].as_table();
      if (!t) fail(source, (*list)[i], "front.origins", "must be an array of tables");
      c.origins.push_back(origin_from(*t, static_cast<int>(i), source));
    }
  }
  std::set<std::string> names;
  for (const auto& o : c.origins)
    if (!names.insert(o.name).second)
      throw FrontConfigError(source + ": front.origins: the name " + o.name + " is used twice");
  if (const toml::node* path = front->get("probe_path")) {
    c.probe_path = path->value_or(std::string());
    if (!c.probe_path.starts_with("/"))
      fail(source, *path, "front.probe_path", "must start with /");
  }
  c.probe_interval =
      std::chrono::milliseconds(bounded(*front, "probe_interval_ms", 1000, 50, 3'600'000, source));
  c.probe_timeout =
      std::chrono::milliseconds(bounded(*front, "probe_timeout_ms", 500, 10, 60'000, source));
  c.first_byte_timeout = std::chrono::milliseconds(
      bounded(*front, "first_byte_timeout_ms", 1000, 10, 600'000, source));
  c.body_timeout =
      std::chrono::milliseconds(bounded(*front, "body_timeout_ms", 1000, 10, 600'000, source));
  c.health.rise = static_cast<int>(bounded(*front, "rise", 3, 1, 100, source));
  c.health.fall = static_cast<int>(bounded(*front, "fall", 2, 1, 100, source));
  c.cache_bytes = static_cast<uint64_t>(
      bounded(*front, "cache_bytes", int64_t{512} << 20, 0, int64_t{1} << 50, source));
  c.cache_dir = (*front)["cache_dir"].value_or(std::string());
  c.admin_key = (*front)["admin_key"].value_or(std::string());
  c.profiles = (*front)["profiles"].value_or(std::string());
  if (const toml::node* rate = front->get("steering_requests_per_second")) {
    auto v = rate->value<double>();
    if (!v || !(*v >= 0 && *v <= 1e6))
      fail(source, *rate, "front.steering_requests_per_second",
           "must be a number from 0 to 1000000");
    c.steering_requests_per_second = *v;
  }
  return c;
}

FrontConfig load_front_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw FrontConfigError(path + ": cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  return parse_front_config(text.str(), path);
}

OriginConfig parse_origin_flag(std::string_view text, int priority) {
  auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || !text.substr(eq + 1).starts_with("http://"))
    throw FrontConfigError("--origin: expected NAME=http://HOST:PORT, got '" + std::string(text) +
                           "'");
  OriginConfig o;
  o.name = std::string(text.substr(0, eq));
  o.url = std::string(text.substr(eq + 1));
  o.priority = priority;
  return o;
}

}  // namespace twin::front
