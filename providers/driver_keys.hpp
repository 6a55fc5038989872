#pragma once
// How a driver sees its manifest keys, without YAML or the loader's types
// (providers sit below the loader; loader/driver_fields.cpp implements these).
// The loader has checked them against the schema already: an integer key
// holds an integer, a boolean key a boolean.
#include <string>

namespace topo {

// One network's mapping, at read time.
class KeyReader {
 public:
  virtual ~KeyReader() = default;
  virtual bool has(const char* key) const = 0;  // written, and not null
  virtual std::string str(const char* key) const = 0;  // "" when not written
  virtual long long integer(const char* key) const = 0;
  virtual bool boolean(const char* key) const = 0;
};

// One network, when the semantic checks run: which keys were written, and
// where the driver's errors go. Messages get the loader's `network "name": `
// in front.
class KeyReport {
 public:
  virtual ~KeyReport() = default;
  virtual bool has(const char* key) const = 0;
  // At the key's value; at the network itself when it was not written.
  virtual void error(const char* key, const std::string& message) const = 0;
  // At the network itself.
  virtual void error(const std::string& message) const = 0;
};

}  // namespace topo
