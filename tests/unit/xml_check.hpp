#pragma once
// Just enough XML for the SVG tests: is the text well formed (every element
// closed in order, one root), what is the root, and what do the <title>
// elements say. Not a parser for anything else.
#include <optional>
#include <string>
#include <vector>

namespace topo::testing {

struct XmlOutline {
  std::string root;                 // the root element's name
  std::vector<std::string> titles;  // the text of every <title>, entities decoded
};

// "&#45;" and the five named entities (Graphviz writes '-' as &#45;); ASCII only.
inline std::string decode_entities(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const size_t end = text[i] == '&' ? text.find(';', i) : std::string::npos;
    if (end == std::string::npos) {
      out += text[i];
      continue;
    }
    const std::string name = text.substr(i + 1, end - i - 1);
    if (name.size() > 1 && name[0] == '#') out += static_cast<char>(std::stoi(name.substr(1)));
    else if (name == "lt") out += '<';
    else if (name == "gt") out += '>';
    else if (name == "amp") out += '&';
    else if (name == "quot") out += '"';
    else if (name == "apos") out += '\'';
    else out += text.substr(i, end - i + 1);
    i = end;
  }
  return out;
}

// nullopt when not well formed.
inline std::optional<XmlOutline> outline_xml(const std::string& text) {
  XmlOutline out;
  std::vector<std::string> open;
  bool root_closed = false;
  size_t i = 0;
  while ((i = text.find('<', i)) != std::string::npos) {
    if (text.compare(i, 4, "<!--") == 0) {
      i = text.find("-->", i);
      if (i == std::string::npos) return std::nullopt;
      continue;
    }
    if (text.compare(i, 2, "<?") == 0 || text.compare(i, 2, "<!") == 0) {  // declaration, DOCTYPE
      i = text.find('>', i);
      if (i == std::string::npos) return std::nullopt;
      continue;
    }
    // The tag's end, skipping '>' inside quoted attribute values.
    size_t end = i + 1;
    char quote = 0;
    for (; end < text.size(); ++end) {
      if (quote) {
        if (text[end] == quote) quote = 0;
      } else if (text[end] == '"' || text[end] == '\'') {
        quote = text[end];
      } else if (text[end] == '>') {
        break;
      }
    }
    if (end >= text.size()) return std::nullopt;
    const std::string tag = text.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.empty()) return std::nullopt;
    if (tag[0] == '/') {
      if (open.empty() || open.back() != tag.substr(1)) return std::nullopt;
      open.pop_back();
      if (open.empty()) root_closed = true;
      continue;
    }
    const std::string name = tag.substr(0, tag.find_first_of(" \t\r\n/"));
    if (open.empty()) {
      if (root_closed) return std::nullopt;  // a second root
      out.root = name;
    }
    if (name == "title") out.titles.push_back(decode_entities(text.substr(i, text.find('<', i) - i)));
    if (tag.back() != '/') open.push_back(name);
    else if (open.empty()) root_closed = true;
  }
  if (!open.empty() || !root_closed) return std::nullopt;
  return out;
}

}  // namespace topo::testing
