#include "client/copy_batch.h"

#include <algorithm>
#include <thread>

namespace twin::client {

CopyBatch::CopyBatch(const BlobContainer& writer, const BlobContainer& reader,
                     CopyBatchOptions options, Progress progress)
    : writer_(writer), reader_(reader), options_(options), progress_(std::move(progress)) {}

void CopyBatch::start(BlobCopy& item) {
  if (item.attempts >= options_.attempts)
    throw blob::StorageCallError(
        0, "CopyFailed",
        "the copy of " + item.name + " failed " + std::to_string(item.attempts) +
            " times; the service says: " + reader_.properties(item.name).copy_description);
  ++item.attempts;
  item.copied = 0;
  item.state = writer_.start_copy(item.name, item.source_url);
}

void CopyBatch::poll(BlobCopy& item) {
  BlobProperties p = reader_.properties(item.name);
  item.state = p.exists ? p.copy : CopyState::failed;
  if (item.state == CopyState::pending) item.copied = p.copied;
  if (item.state == CopyState::success) item.copied = item.size;
}

void CopyBatch::run(std::vector<BlobCopy>& items) {
  auto active = [](const BlobCopy& c) { return c.state == CopyState::pending; };
  std::chrono::milliseconds wait{10};
  auto started = std::chrono::steady_clock::now();
  for (;;) {
    size_t running = std::count_if(items.begin(), items.end(), active);
    for (auto& item : items) {
      bool waiting = item.state == CopyState::none || item.state == CopyState::failed ||
                     item.state == CopyState::aborted;
      if (waiting && running < options_.parallel) {
        start(item);
        running += active(item);
      }
    }
    if (progress_) progress_(items);
    bool done = std::all_of(items.begin(), items.end(),
                            [](const BlobCopy& c) { return c.state == CopyState::success; });
    if (done) return;
    std::this_thread::sleep_for(wait);
    if (std::chrono::steady_clock::now() - started > std::chrono::seconds(1))
      wait = std::min(wait + wait / 2, options_.poll_interval);
    for (auto& item : items)
      if (active(item)) poll(item);
  }
}

}  // namespace twin::client
