package dev.keepalive.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each upstream call's URI: right for every id, and built once for the ids a fan-out uses. */
class ItemUrisTest {

  @Test
  void eachIdUpToTheMaximumFanOutIsBuiltOnce() {
    ItemUris uris = new ItemUris("/base", 3);
    for (int id = 1; id <= 3; id++) {
      assertThat(uris.of(id)).isEqualTo("/base/item/" + id);
      assertThat(uris.of(id)).as("the same String on every call: nothing built on the hot path").isSameAs(uris.of(id));
    }
  }

  @Test
  void idsOutsideTheCachedRangeStillGetTheirUri() {
    ItemUris uris = new ItemUris("", 3);
    assertThat(uris.of(0)).isEqualTo("/item/0");
    assertThat(uris.of(4)).isEqualTo("/item/4");
    assertThat(uris.of(-1)).isEqualTo("/item/-1");
    assertThat(new ItemUris("", 0).of(1)).isEqualTo("/item/1");
    assertThat(new ItemUris("", -5).of(1)).as("a negative maximum caches nothing").isEqualTo("/item/1");
  }

  @Test
  void theCacheStopsAtItsOwnLimit() {
    ItemUris uris = new ItemUris("", Integer.MAX_VALUE);
    assertThat(uris.of(ItemUris.MAX_CACHED)).isSameAs(uris.of(ItemUris.MAX_CACHED));
    assertThat(uris.of(ItemUris.MAX_CACHED + 1)).isEqualTo("/item/100001");
  }
}
