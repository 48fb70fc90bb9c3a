//===- NpyIO.cpp - Reading and writing NumPy .npy files -------------------===//
//
// The format: the magic "\x93NUMPY", a major and minor version byte, the
// header length (2 bytes little-endian in 1.0, 4 bytes in 2.0 and 3.0), then
// a Python dict literal such as
//   {'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 224, 224), }
// padded with spaces and a newline, then the raw array data.
//
//===----------------------------------------------------------------------===//

#include "NpyIO.h"

#include "FileBytes.h"

#include <cctype>
#include <cstring>
#include <optional>

using namespace kiln;

namespace {

constexpr char Magic[] = "\x93NUMPY";
constexpr size_t MagicSize = 6;

/// The one dtype spelling we write for each element type; nullptr when NumPy
/// has none.
const char *descrFor(int32_t elemType) {
  switch (elemType) {
  case KILN_FLOAT:
    return "<f4";
  case KILN_DOUBLE:
    return "<f8";
  case KILN_FLOAT16:
    return "<f2";
  case KILN_INT8:
    return "|i1";
  case KILN_INT16:
    return "<i2";
  case KILN_INT32:
    return "<i4";
  case KILN_INT64:
    return "<i8";
  case KILN_UINT8:
    return "|u1";
  case KILN_UINT16:
    return "<u2";
  case KILN_UINT32:
    return "<u4";
  case KILN_UINT64:
    return "<u8";
  case KILN_BOOL:
    return "|b1";
  default:
    return nullptr;
  }
}

/// Maps a dtype descr ("<f4", "|u1", "=i8", ...) to an element type, or 0.
int32_t elemTypeFor(const std::string &descr, std::string &why) {
  if (descr.size() < 3) {
    why = "unsupported dtype '" + descr + "'";
    return 0;
  }
  char order = descr[0];
  std::string kind = descr.substr(1);
  if (order == '>' && kind.size() >= 2 && kind.substr(1) != "1") {
    why = "big-endian dtype '" + descr + "' is not supported";
    return 0;
  }
  if (order != '<' && order != '|' && order != '=' && order != '>') {
    why = "unsupported dtype '" + descr + "'";
    return 0;
  }
  static const struct {
    const char *kind;
    int32_t elemType;
  } Kinds[] = {{"f2", KILN_FLOAT16}, {"f4", KILN_FLOAT},  {"f8", KILN_DOUBLE},
               {"i1", KILN_INT8},    {"i2", KILN_INT16},  {"i4", KILN_INT32},
               {"i8", KILN_INT64},   {"u1", KILN_UINT8},  {"u2", KILN_UINT16},
               {"u4", KILN_UINT32},  {"u8", KILN_UINT64}, {"b1", KILN_BOOL}};
  for (const auto &entry : Kinds)
    if (kind == entry.kind)
      return entry.elemType;
  why = "unsupported dtype '" + descr +
        "' (supported: f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1)";
  return 0;
}

/// A recursive-descent reader for the subset of Python literals that .npy
/// headers use: strings, True/False/None, integers and tuples of integers.
class HeaderParser {
public:
  explicit HeaderParser(const std::string &text) : text(text) {}

  bool parse(std::string &descr, bool &fortranOrder,
             std::optional<std::vector<int64_t>> &shape, std::string &why) {
    bool sawDescr = false, sawOrder = false;
    if (!consume('{'))
      return fail("expected '{'", why);
    while (!consume('}')) {
      std::string key;
      if (!parseString(key) || !consume(':'))
        return fail("expected 'key': value", why);
      if (key == "descr") {
        if (!parseString(descr))
          return fail("'descr' is not a string", why);
        sawDescr = true;
      } else if (key == "fortran_order") {
        std::string word = parseWord();
        if (word != "True" && word != "False")
          return fail("'fortran_order' is not True or False", why);
        fortranOrder = word == "True";
        sawOrder = true;
      } else if (key == "shape") {
        std::vector<int64_t> dims;
        if (!parseTuple(dims))
          return fail("'shape' is not a tuple of integers", why);
        shape = std::move(dims);
      } else {
        return fail("unexpected key '" + key + "'", why);
      }
      if (!consume(',') && !peek('}'))
        return fail("expected ',' or '}'", why);
    }
    if (!sawDescr || !sawOrder || !shape)
      return fail("missing 'descr', 'fortran_order' or 'shape'", why);
    return true;
  }

private:
  const std::string &text;
  size_t pos = 0;

  bool fail(const std::string &what, std::string &why) {
    why =
        "malformed header (" + what + " at offset " + std::to_string(pos) + ")";
    return false;
  }
  void skipSpace() {
    while (pos < text.size() && std::isspace((unsigned char)text[pos]))
      ++pos;
  }
  bool peek(char c) {
    skipSpace();
    return pos < text.size() && text[pos] == c;
  }
  bool consume(char c) {
    if (!peek(c))
      return false;
    ++pos;
    return true;
  }
  bool parseString(std::string &out) {
    skipSpace();
    if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"'))
      return false;
    char quote = text[pos++];
    size_t end = text.find(quote, pos);
    if (end == std::string::npos)
      return false;
    out = text.substr(pos, end - pos);
    pos = end + 1;
    return true;
  }
  std::string parseWord() {
    skipSpace();
    size_t start = pos;
    while (pos < text.size() && std::isalpha((unsigned char)text[pos]))
      ++pos;
    return text.substr(start, pos - start);
  }
  bool parseInt(int64_t &value) {
    skipSpace();
    size_t start = pos;
    value = 0;
    while (pos < text.size() && std::isdigit((unsigned char)text[pos])) {
      int digit = text[pos++] - '0';
      if (value > (INT64_MAX - digit) / 10)
        return false;
      value = value * 10 + digit;
    }
    // NumPy 1.x on some platforms wrote longs as "3L".
    if (pos < text.size() && text[pos] == 'L')
      ++pos;
    return pos > start;
  }
  bool parseTuple(std::vector<int64_t> &dims) {
    if (!consume('('))
      return false;
    while (!consume(')')) {
      int64_t dim;
      if (!parseInt(dim))
        return false;
      dims.push_back(dim);
      if (!consume(',') && !peek(')'))
        return false;
    }
    return true;
  }
};

uint32_t readLittleEndian(const std::string &bytes, size_t offset,
                          size_t size) {
  uint32_t value = 0;
  for (size_t i = 0; i < size; ++i)
    value |= uint32_t((unsigned char)bytes[offset + i]) << (8 * i);
  return value;
}

} // namespace

bool kiln::parseNpy(const std::string &path, const std::string &contents,
                    HostTensor &tensor, std::string &error) {
  auto fail = [&](const std::string &what) {
    error = path + ": " + what;
    return false;
  };
  if (contents.size() < MagicSize + 2 ||
      contents.compare(0, MagicSize, Magic, MagicSize) != 0)
    return fail("not a NumPy .npy file (bad magic)");
  unsigned major = (unsigned char)contents[MagicSize];
  size_t lengthSize;
  if (major == 1)
    lengthSize = 2;
  else if (major == 2 || major == 3)
    lengthSize = 4;
  else
    return fail("unsupported .npy format version " + std::to_string(major));
  size_t headerStart = MagicSize + 2 + lengthSize;
  if (contents.size() < headerStart)
    return fail("truncated .npy header");
  size_t headerLength = readLittleEndian(contents, MagicSize + 2, lengthSize);
  if (contents.size() - headerStart < headerLength)
    return fail("truncated .npy header (needs " + std::to_string(headerLength) +
                " bytes, file has " +
                std::to_string(contents.size() - headerStart) + ")");
  std::string header = contents.substr(headerStart, headerLength);

  std::string descr, why;
  bool fortranOrder = false;
  std::optional<std::vector<int64_t>> shape;
  if (!HeaderParser(header).parse(descr, fortranOrder, shape, why))
    return fail(why);
  int32_t elemType = elemTypeFor(descr, why);
  if (!elemType)
    return fail(why);
  int64_t count = checkedElementCount(*shape);
  size_t elemSize = kiln_elem_size(elemType);
  if (count < 0 || uint64_t(count) > SIZE_MAX / elemSize)
    return fail("shape " + formatShape(*shape) + " is too large");
  // Fortran order is only a different byte layout when two or more
  // dimensions exceed 1.
  int bigDims = 0;
  for (int64_t dim : *shape)
    bigDims += dim > 1;
  if (fortranOrder && bigDims > 1)
    return fail("Fortran-order arrays are not supported (save with "
                "numpy.ascontiguousarray)");

  size_t dataBytes = size_t(count) * elemSize;
  size_t dataStart = headerStart + headerLength;
  size_t available = contents.size() - dataStart;
  if (available < dataBytes)
    return fail("truncated data: " + descr + " " + formatShape(*shape) +
                " needs " + std::to_string(dataBytes) + " bytes, file has " +
                std::to_string(available));
  if (available > dataBytes)
    return fail("has " + std::to_string(available - dataBytes) +
                " bytes after the array data of " + descr + " " +
                formatShape(*shape));

  tensor.name.clear();
  tensor.elemType = elemType;
  tensor.shape = std::move(*shape);
  tensor.bytes.assign(contents.begin() + dataStart, contents.end());
  return true;
}

bool kiln::readNpy(const std::string &path, HostTensor &tensor,
                   std::string &error) {
  std::string contents;
  if (!readFileBytes(path, contents, error))
    return false;
  return parseNpy(path, contents, tensor, error);
}

bool kiln::writeNpy(const std::string &path, const HostTensor &tensor,
                    std::string &error) {
  const char *descr = descrFor(tensor.elemType);
  if (!descr) {
    error = path + ": cannot write " + kiln_elem_type_name(tensor.elemType) +
            " as .npy (no NumPy dtype)";
    return false;
  }
  int64_t count = checkedElementCount(tensor.shape);
  if (count < 0 || uint64_t(count) * kiln_elem_size(tensor.elemType) !=
                       tensor.bytes.size()) {
    error = path + ": cannot write: " + std::to_string(tensor.bytes.size()) +
            " bytes do not hold " + formatType(tensor.elemType, tensor.shape);
    return false;
  }
  std::string shape = "(";
  for (size_t i = 0; i < tensor.shape.size(); ++i)
    shape += std::to_string(tensor.shape[i]) + ", ";
  if (tensor.shape.size() > 1)
    shape.resize(shape.size() - 2);
  else if (tensor.shape.size() == 1)
    shape.pop_back(); // "(3,)" is the 1-tuple.
  shape += ")";
  std::string header = std::string("{'descr': '") + descr +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";

  // Pad so that the data starts 64-byte aligned, as NumPy does.
  size_t lengthSize = 2;
  if (header.size() + 1 + MagicSize + 2 + 2 + 64 > 0xffff)
    lengthSize = 4;
  size_t prefix = MagicSize + 2 + lengthSize;
  size_t total = (prefix + header.size() + 1 + 63) / 64 * 64;
  header.append(total - prefix - header.size() - 1, ' ');
  header += '\n';

  std::string out(Magic, MagicSize);
  out += char(lengthSize == 2 ? 1 : 2);
  out += char(0);
  for (size_t i = 0; i < lengthSize; ++i)
    out += char((header.size() >> (8 * i)) & 0xff);
  out += header;
  out.append(reinterpret_cast<const char *>(tensor.bytes.data()),
             tensor.bytes.size());
  return writeFileBytes(path, out.data(), out.size(), error);
}
