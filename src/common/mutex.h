// A mutex the compiler can reason about: Clang's thread-safety analysis (-Wthread-safety, run
// by clang-tidy in CI) checks that every member declared ATG_GUARDED_BY(mu_) is touched only with
// mu_ held, and that functions declared ATG_REQUIRES / ATG_EXCLUDES are called accordingly.
// With GCC the annotations compile to nothing and Mutex is a plain std::mutex.
//
// Usage:
//   class Counter {
//    public:
//     void Add() ATG_EXCLUDES(mu_) { MutexLock lock(&mu_); ++n_; }
//    private:
//     Mutex mu_;
//     int n_ ATG_GUARDED_BY(mu_) = 0;
//   };
//
// Thread-safety: Mutex is a mutex; MutexLock holds it for its scope.
#ifndef ATG_COMMON_MUTEX_H_
#define ATG_COMMON_MUTEX_H_

#include <mutex>

#if defined(__clang__)
#define ATG_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define ATG_THREAD_ANNOTATION(x)
#endif

#define ATG_CAPABILITY(x) ATG_THREAD_ANNOTATION(capability(x))
#define ATG_SCOPED_CAPABILITY ATG_THREAD_ANNOTATION(scoped_lockable)
#define ATG_GUARDED_BY(x) ATG_THREAD_ANNOTATION(guarded_by(x))
#define ATG_PT_GUARDED_BY(x) ATG_THREAD_ANNOTATION(pt_guarded_by(x))
#define ATG_REQUIRES(...) ATG_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define ATG_EXCLUDES(...) ATG_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define ATG_ACQUIRE(...) ATG_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define ATG_RELEASE(...) ATG_THREAD_ANNOTATION(release_capability(__VA_ARGS__))

namespace atg {

class ATG_CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ATG_ACQUIRE() { mu_.lock(); }
  void Unlock() ATG_RELEASE() { mu_.unlock(); }

 private:
  std::mutex mu_;
};

// Holds `mu` from construction to destruction.
class ATG_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ATG_ACQUIRE(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() ATG_RELEASE() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mu_;
};

}  // namespace atg

#endif  // ATG_COMMON_MUTEX_H_
