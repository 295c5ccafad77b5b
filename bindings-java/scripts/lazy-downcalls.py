"""Makes the generated UniffiLib create each FFM downcall handle on first use instead of all at
class initialisation (uniffi-bindgen-java 0.5.2 creates ~115 eagerly, ~25 distinct shapes, which
costs hundreds of milliseconds of cold start; a Lambda function uses a handful).

Each `private static final MethodHandle MH_x = findDowncallHandle(...);` becomes a nested holder
class `MH_x { static final MethodHandle H = ...; }` (initialised by the JVM on first access, thread
safe), and `MH_x.invokeExact` becomes `MH_x.H.invokeExact`. Fails if the generated code no longer
has the expected shape, so a new uniffi-bindgen-java cannot silently skip this step.
"""
import re
import sys

path = sys.argv[1]
src = open(path, encoding="utf-8").read()
decl = re.compile(
    r"^(\s*)private static final java\.lang\.invoke\.MethodHandle (MH_\w+) = (findDowncallHandle\(.*\));$",
    re.M,
)
names = decl.findall(src)
if len(names) < 10:
    sys.exit(f"lazy-downcalls: expected many downcall handles in {path}, found {len(names)}")
src = decl.sub(
    r"\1private static final class \2 { static final java.lang.invoke.MethodHandle H = \3; }", src
)
uses = 0
for _, name, _ in names:
    src, n = re.subn(rf"\b{name}\.invokeExact\(", f"{name}.H.invokeExact(", src)
    if n == 0:
        sys.exit(f"lazy-downcalls: {name} is declared but never invoked in {path}")
    uses += n
open(path, "w", encoding="utf-8").write(src)
print(f"lazy-downcalls: {len(names)} handles made lazy ({uses} call sites)", file=sys.stderr)
