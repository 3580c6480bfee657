// Boost.JSON compiled once for the whole program (the header-only form would compile it into
// every translation unit that includes it).
#include <boost/json/src.hpp>
