#include "front/origin_pool.h"

#include <algorithm>

namespace twin::front {

OriginPool::OriginPool(std::vector<OriginConfig> origins, HealthPolicy policy,
                       const Scheduler& clock) {
  std::stable_sort(origins.begin(), origins.end(),
                   [](const auto& a, const auto& b) { return a.priority < b.priority; });
  for (auto& c : origins) origins_.push_back(std::make_unique<Origin>(std::move(c), policy, clock));
}

Origin* OriginPool::find(const std::string& name) {
  for (auto& o : origins_)
    if (o->config.name == name) return o.get();
  return nullptr;
}

bool OriginPool::panicking() const {
  return std::none_of(origins_.begin(), origins_.end(),
                      [](const auto& o) { return o->enabled() && o->health.up(); });
}

Origin* OriginPool::pick_in_level(int priority) {
  // Smooth weighted round robin: every candidate gains its weight, the largest is chosen and
  // pays the total back, so 5:1 interleaves as A A B A A A … rather than in bursts.
  Origin* best = nullptr;
  int64_t total = 0;
  for (auto& o : origins_) {
    if (o->config.priority != priority || !o->enabled() || !o->health.up()) continue;
    o->current_weight += o->config.weight;
    total += o->config.weight;
    if (!best || o->current_weight > best->current_weight) best = o.get();
  }
  if (best) best->current_weight -= total;
  return best;
}

std::vector<Origin*> OriginPool::plan() {
  std::vector<Origin*> out;
  bool panic = panicking();
  if (!panic) {
    for (auto& o : origins_) {
      if (!o->enabled() || !o->health.up()) continue;
      out.push_back(pick_in_level(o->config.priority));
      break;
    }
  }
  for (auto& o : origins_) {
    bool usable = o->enabled() && (panic || o->health.up());
    if (usable && std::find(out.begin(), out.end(), o.get()) == out.end()) out.push_back(o.get());
  }
  return out;
}

}  // namespace twin::front
