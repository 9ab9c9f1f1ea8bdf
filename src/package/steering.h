// What a manifest needs for content steering: the deployment's pathways and where this
// presentation sits under each of them. With it, every URL a multivariant playlist or an MPD
// names is absolute, once per pathway ("http://edge-b:8900/<locator>/<name>.ism/…"), so a player
// can fetch the same bytes from any pathway; without it, manifests are as before (relative URLs).
#pragma once

#include <string>

#include "common/steering_config.h"

namespace twin::package {

struct ManifestSteering {
  const config::Steering& steering;
  std::string asset_path;  // "/<locator>/<name>.ism/": the manifest URL's directory

  // pathway base + asset path: the directory every relative URL of the manifest resolves against
  std::string directory(const config::Pathway& p) const { return p.base + asset_path; }
};

}  // namespace twin::package
