package ai.auraison.zenoh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Cases from the key-expression examples of Zenoh's specification ({@code zenoh-keyexpr} tests). */
class KeyExprTest {

    @ParameterizedTest(name = "{0} ∩ {1} = {2}")
    @CsvSource(
            delimiter = ' ',
            value = {
                "a a true",
                "a/b a/b true",
                "* abc true",
                "* xxx true",
                "ab$* abcd true",
                "ab$*d abcd true",
                "ab$* ab true",
                "ab/* ab false",
                "a/*/c/*/e a/b/c/d/e true",
                "a/$*b/c/$*d/e a/xb/c/xd/e true",
                "a/*/c/*/e a/c/e false",
                "a/*/c/*/e a/b/c/d/x/e false",
                "ab$*cd abxxcxxd false",
                "ab$*cd abxxcxxcd true",
                "ab$*cd abxxcxxcdx false",
                "** abc true",
                "** a/b/c true",
                "ab/** ab true",
                "**/xyz a/b/xyz/d/e/f/xyz true",
                "**/xyz$*xyz a/b/xyz/d/e/f/xyz false",
                "**/xyz$*xyz a/b/xyzdefxyz true",
                "a/**/c/**/e a/b/b/b/c/d/d/d/e true",
                "a/**/c/**/e a/c/e true",
                "a/**/c/*/e/* a/b/b/b/c/d/d/c/d/e/f true",
                "a/**/c/*/e/* a/b/b/b/c/d/d/c/d/d/e/f false",
                "x/abc x/abc true",
                "x/abc abc false",
                "x/* x/abc true",
                "x/* abc false",
                "* x/abc false",
                "x/* x/abc$* true",
                "x/$*abc x/abc$* true",
                "x/a$* x/abc$* true",
                "x/a$*de x/abc$*de true",
                "x/a$*d$*e x/a$*e true",
                "x/a$*d$*e x/a$*c$*e true",
                "x/a$*d$*e x/ade true",
                "x/c$* x/abc$* false",
                "x/$*d x/$*e false",
                "@a @a true",
                "@a @ab false",
                "@a @a/b false",
                "@a @a/* false",
                "@a @a/*/** false",
                "@a @a$*/** false",
                "@a @a/** true",
                "**/xyz$*xyz @a/b/xyzdefxyz false",
                "@a/**/c/**/e @a/b/b/b/c/d/d/d/e true",
                "@a/**/c/**/e @a/@b/b/b/c/d/d/d/e false",
                "@a/**/@c/**/e @a/b/b/b/@c/d/d/d/e true",
                "@a/**/e @a/b/b/d/d/d/e true",
                "@a/**/e @a/b/b/@c/b/d/d/d/e false",
                "@a/* @a/@b false",
                "@a/** @a/@b false",
                "@a/**/@b @a/@b true",
                "@a/@b/** @a/@b true",
                "@a/**/@c/**/@b @a/**/@c/@b true",
                "@a/**/@c/**/@b @a/@c/**/@b true",
                "@a/**/@c/@b @a/@c/**/@b true",
                "@a/**/@b @a/**/@c/**/@b false",
                "@a **/@a true"
            })
    void intersectsAsTheSpecificationSays(String left, String right, boolean expected) {
        KeyExpr a = KeyExpr.of(left);
        KeyExpr b = KeyExpr.of(right);
        assertThat(a.intersects(b)).isEqualTo(expected);
        assertThat(b.intersects(a)).as("intersection is symmetric").isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ⊇ {1} = {2}")
    @CsvSource(
            delimiter = ' ',
            value = {
                "a a true",
                "a/b a/b true",
                "* abc true",
                "ab$* abcd true",
                "ab$*d abcd true",
                "ab$* ab true",
                "ab/* ab false",
                "a/*/c/*/e a/b/c/d/e true",
                "a/$*b/c/$*d/e a/xb/c/xd/e true",
                "a/*/c/*/e a/c/e false",
                "ab$*cd abxxcxxd false",
                "ab$*c$*d abxxcxxd true",
                "ab$*cd abxxcxxcd true",
                "** a/b/c true",
                "ab/** ab true",
                "**/xyz a/b/xyz/d/e/f/xyz true",
                "**/xyz$*xyz a/b/xyz/d/e/f/xyz false",
                "a/**/c/**/e a/c/e true",
                "a/**/c/*/e/* a/b/b/b/c/d/d/c/d/d/e/f false",
                "x/abc abc false",
                "* x/abc false",
                "x/* x/abc$* true",
                "x/$*abc x/abc$* false",
                "x/a$* x/abc$* true",
                "x/abc$* x/a$* false",
                "x/a$*de x/abc$*de true",
                "x/a$*e x/a$*d$*e true",
                "x/a$*d$*e x/a$*e false",
                "x/a$*d$*e x/a$*c$*e false",
                "x/a$*d$*e x/ade true",
                "x/c$* x/abc$* false",
                "x/$*c$* x/abc$* true",
                "x/$*d x/$*e false",
                "@a @a true",
                "@a @ab false",
                "@a @a/b false",
                "@a @a/* false",
                "@a @a/*/** false",
                "@a$*/** @a false",
                "@a @a/** false",
                "@a/** @a true"
            })
    void includesAsTheSpecificationSays(String left, String right, boolean expected) {
        assertThat(KeyExpr.of(left).includes(KeyExpr.of(right))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(
            delimiter = ' ',
            value = {
                "hello/foo$*$*/bar hello/foo$*/bar",
                "hello/**/**/bye hello/**/bye",
                "hello/**/** hello/**",
                "hello/$*/bye hello/*/bye",
                "hello/$*$*/bye hello/*/bye",
                "$*/hello/$*/bye */hello/*/bye",
                "$*$*$*/hello/$*/bye/$* */hello/*/bye/*",
                "$*$*$*/hello/$*$*/bye/$*$* */hello/*/bye/*",
                "hello/**/* hello/*/**",
                "a/**/*/**/*/b a/*/*/**/b"
            })
    void autocanonizesIntoTheCanonicalForm(String input, String canonical) throws ZError {
        assertThat(KeyExpr.autocanonize(input)).hasToString(canonical);
        assertThat(KeyExpr.tryFrom(canonical)).hasToString(canonical);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "/a/b/",
                "/a/b",
                "a/b/",
                "a//b",
                "a/b/*$*",
                "a/b/$**",
                "a/b/**$*",
                "a/b/*$**",
                "a/b/**$**",
                "a/b#",
                "a/b?x=1",
                "a/$b",
                "a/$*$*",
                "a/$*",
                "a/**/*",
                "a/**/**",
                "a*b"
            })
    void rejectsExpressionsThatAreNotCanonical(String text) {
        assertThatThrownBy(() -> KeyExpr.tryFrom(text)).isInstanceOf(ZError.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a/b/", "a//b", "a/b/*$*", "a/b#c"})
    void autocanonizeStillRejectsInvalidExpressions(String text) {
        assertThatThrownBy(() -> KeyExpr.autocanonize(text)).isInstanceOf(ZError.class);
    }

    @org.junit.jupiter.api.Test
    void staysFastOnExpressionsWithManyDoubleWildcards() {
        String left = "**/a/".repeat(200) + "b";
        String right = "a/".repeat(400) + "c";
        assertThat(KeyExpr.of(left).intersects(KeyExpr.of(right))).isFalse();
        assertThat(KeyExpr.of(left).includes(KeyExpr.of(right))).isFalse();
    }
}
