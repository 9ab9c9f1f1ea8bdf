#include "client/copy_batch.h"

#include <algorithm>
#include <future>
#include <map>
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

// Starts the copies a few requests at a time: each Copy Blob waits on the target's disk and a
// HEAD of the source, 5 to 13 ms while other copies are writing; one after another, the eighth
// copy of a ladder started 80 ms after the first (measured), a third of the whole copy. The
// first item (the largest) goes alone, so that the service queues it first.
void CopyBatch::start_all(const std::vector<BlobCopy*>& items) {
  constexpr size_t kConcurrentStarts = 8;
  for (size_t first = 0; first < items.size();) {
    size_t end = std::min(items.size(), first == 0 ? 1 : first + kConcurrentStarts);
    std::vector<std::future<void>> started;
    for (size_t i = first; i < end; ++i)
      started.push_back(std::async(std::launch::async, [this, item = items[i]] { start(*item); }));
    for (auto& s : started) s.wait();
    for (auto& s : started) s.get();  // the first failure, after all have ended
    first = end;
  }
}

void CopyBatch::poll(std::vector<BlobCopy>& items) {
  std::map<std::string, BlobListing> listed;
  for (auto& b : reader_.list()) listed.emplace(b.name, std::move(b));
  for (auto& item : items) {
    if (item.state != CopyState::pending) continue;
    auto it = listed.find(item.name);
    item.state = it == listed.end() ? CopyState::failed : it->second.copy;
    if (item.state == CopyState::pending) item.copied = it->second.copied;
    if (item.state == CopyState::success) item.copied = item.size;
  }
}

void CopyBatch::run(std::vector<BlobCopy>& items) {
  auto active = [](const BlobCopy& c) { return c.state == CopyState::pending; };
  std::chrono::milliseconds wait{10};
  auto started = std::chrono::steady_clock::now();
  for (;;) {
    size_t running = std::count_if(items.begin(), items.end(), active);
    std::vector<BlobCopy*> starting;
    for (auto& item : items) {
      bool waiting = item.state == CopyState::none || item.state == CopyState::failed ||
                     item.state == CopyState::aborted;
      if (waiting && running + starting.size() < options_.parallel) starting.push_back(&item);
    }
    start_all(starting);
    if (progress_) progress_(items);
    bool done = std::all_of(items.begin(), items.end(),
                            [](const BlobCopy& c) { return c.state == CopyState::success; });
    if (done) return;
    std::this_thread::sleep_for(wait);
    if (std::chrono::steady_clock::now() - started > std::chrono::seconds(1))
      wait = std::min(wait + wait / 2, options_.poll_interval);
    poll(items);
  }
}

}  // namespace twin::client
