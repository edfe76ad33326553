#include "conformance/fuzz/model.h"

#include <algorithm>

namespace forkcheck {

bool FuzzModel::IsOpen(int id) const { return std::find(open.begin(), open.end(), id) != open.end(); }

void FuzzModel::Remove(int id) { open.erase(std::remove(open.begin(), open.end(), id), open.end()); }

}  // namespace forkcheck
