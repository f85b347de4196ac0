import com.sun.source.doctree.DocCommentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExportsTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModuleTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The build's Javadoc audit: fails when a published module's public API has a type without a
 * documentation comment, or an exported package without a runnable example.
 *
 * <p>The API is what {@code module-info.java} exports to everyone (qualified exports are Loam's own
 * machinery and are not checked). In those packages every public type (nested ones too; members
 * of an interface are implicitly public) needs a {@code /** ... *}{@code /} comment, and each
 * package's {@code package-info.java} must show an example with {@code {@snippet class=...}}: a
 * test class that {@code ./test} compiles and runs.
 *
 * <p>With MEMBERS {@code true} it also requires a comment on every public or protected
 * constructor, method and field of those types, except methods marked {@code @Override} (Javadoc
 * copies the overridden comment), a record's compact constructor (the record's {@code @param}
 * tags document it) and enum constants. javadoc's own doclint ({@code missing} group) would also
 * demand {@code @param} and {@code @return} on every member, where Loam's style lets a one-line
 * definition say it.
 *
 * <p>Run by maven-antrun-plugin in the {@code verify} phase of every published module (see the
 * parent pom) as {@code java PublicJavadoc.java SOURCE_DIR MEMBERS FAIL}; it names each gap and,
 * with FAIL {@code true}, exits 1 (with {@code false} it only warns).
 */
public final class PublicJavadoc {
  private PublicJavadoc() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: java PublicJavadoc.java SOURCE_DIR MEMBERS(true|false) FAIL(true|false)");
      System.exit(2);
    }
    Path root = Path.of(args[0]);
    boolean members = Boolean.parseBoolean(args[1]);
    boolean fail = Boolean.parseBoolean(args[2]);
    Path moduleInfo = root.resolve("module-info.java");
    if (!Files.isRegularFile(moduleInfo)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> gaps = new ArrayList<>();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
      JavacTask task = (JavacTask) javac.getTask(null, fm, null, List.of("-proc:none"), null,
          fm.getJavaFileObjectsFromPaths(files));
      DocTrees trees = DocTrees.instance(task);
      List<CompilationUnitTree> units = new ArrayList<>();
      task.parse().forEach(units::add);
      Set<String> exported = new TreeSet<>();
      for (CompilationUnitTree unit : units) {
        if (unit.getModule() instanceof ModuleTree module) {
          for (var directive : module.getDirectives()) {
            if (directive instanceof ExportsTree exports && exports.getModuleNames() == null) {
              exported.add(exports.getPackageName().toString());
            }
          }
        }
      }
      Set<String> withExample = new TreeSet<>();
      for (CompilationUnitTree unit : units) {
        if (unit.getPackage() == null || !exported.contains(unit.getPackageName().toString())) {
          continue;
        }
        String pkg = unit.getPackageName().toString();
        if (unit.getSourceFile().getName().endsWith("package-info.java")) {
          DocCommentTree doc = trees.getDocCommentTree(new TreePath(new TreePath(unit), unit.getPackage()));
          if (doc != null && doc.toString().contains("{@snippet class=")) {
            withExample.add(pkg);
          }
          continue;
        }
        new Scanner(trees, unit, members, gaps).scan(unit, null);
      }
      for (String pkg : exported) {
        if (!withExample.contains(pkg)) {
          gaps.add(root + ": package " + pkg + " has no {@snippet class=...} example in its package-info.java");
        }
      }
    }
    String head = fail ? "[ERROR] javadoc: " : "[WARNING] javadoc: ";
    for (String gap : gaps) {
      System.err.println(head + gap);
    }
    if (!gaps.isEmpty()) {
      System.err.println(head + gaps.size() + " gap(s) in the public API (listed above)");
      if (fail) {
        System.err.println(head + "document them (-Dloam.javadoc.fail=false only warns)");
        System.exit(1);
      }
    }
  }

  /** Walks one file's public types and their public members, noting each without a comment. */
  private static final class Scanner extends TreePathScanner<Void, Void> {
    private final DocTrees trees;
    private final CompilationUnitTree unit;
    private final boolean members;
    private final List<String> gaps;

    Scanner(DocTrees trees, CompilationUnitTree unit, boolean members, List<String> gaps) {
      this.trees = trees;
      this.unit = unit;
      this.members = members;
      this.gaps = gaps;
    }

    @Override
    public Void visitClass(ClassTree type, Void unused) {
      if (!visible(type.getModifiers().getFlags())) {
        return null; // nothing inside a hidden type is API
      }
      require(type.getSimpleName() + " (" + type.getKind().toString().toLowerCase() + ")");
      return super.visitClass(type, unused);
    }

    @Override
    public Void visitMethod(MethodTree method, Void unused) {
      boolean override = method.getModifiers().getAnnotations().stream()
          .anyMatch(a -> a.getAnnotationType().toString().endsWith("Override"));
      boolean compact = method.getReturnType() == null && isRecord() && compactConstructor(method);
      if (members && visible(method.getModifiers().getFlags()) && !override && !compact) {
        String name = method.getReturnType() == null ? enclosing().getSimpleName().toString() : method.getName().toString();
        require(enclosing().getSimpleName() + "." + name + "(…)");
      }
      return null;
    }

    @Override
    public Void visitVariable(VariableTree field, Void unused) {
      boolean enumConstant = enclosing().getKind() == Tree.Kind.ENUM
          && field.getType() instanceof IdentifierTree id
          && id.getName().contentEquals(enclosing().getSimpleName());
      if (members && getCurrentPath().getParentPath().getLeaf() instanceof ClassTree
          && visible(field.getModifiers().getFlags()) && !enumConstant) {
        require(enclosing().getSimpleName() + "." + field.getName());
      }
      return null;
    }

    private boolean compactConstructor(MethodTree method) {
      // A compact canonical constructor has no parameter list: no "(" between its start and its body.
      long start = trees.getSourcePositions().getStartPosition(unit, method);
      long body = trees.getSourcePositions().getStartPosition(unit, method.getBody());
      try {
        String head = unit.getSourceFile().getCharContent(true).subSequence((int) start, (int) body).toString();
        return !head.contains("(");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private boolean isRecord() {
      return enclosing().getKind() == Tree.Kind.RECORD;
    }

    private ClassTree enclosing() {
      for (TreePath p = getCurrentPath(); p != null; p = p.getParentPath()) {
        if (p.getLeaf() instanceof ClassTree c && p != getCurrentPath()) {
          return c;
        }
      }
      throw new IllegalStateException("a member outside a type");
    }

    /** Public, protected, or a member of an interface (implicitly public) that is not private. */
    private boolean visible(Set<Modifier> flags) {
      if (flags.contains(Modifier.PUBLIC) || flags.contains(Modifier.PROTECTED)) {
        return true;
      }
      TreePath parent = getCurrentPath().getParentPath();
      boolean inInterface = parent != null && parent.getLeaf() instanceof ClassTree c
          && (c.getKind() == Tree.Kind.INTERFACE || c.getKind() == Tree.Kind.ANNOTATION_TYPE);
      return inInterface && !flags.contains(Modifier.PRIVATE);
    }

    private void require(String what) {
      if (trees.getDocCommentTree(getCurrentPath()) == null) {
        long line = unit.getLineMap().getLineNumber(trees.getSourcePositions().getStartPosition(unit, getCurrentPath().getLeaf()));
        gaps.add(unit.getSourceFile().getName() + ":" + line + ": " + what + " has no documentation comment");
      }
    }
  }
}
