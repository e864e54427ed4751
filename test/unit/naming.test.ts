import { describe, expect, it } from 'vitest';
import { resourceNames, spell } from '../../src/naming/spellings.js';

describe('resourceNames', () => {
  it.each([
    ['posts', 'post', 'posts'],
    ['post', 'post', 'posts'],
    ['categories', 'category', 'categories'],
    ['people', 'person', 'people'],
    ['news', 'news', 'news'],
    ['addresses', 'address', 'addresses'],
    ['statuses', 'status', 'statuses'],
    ['boxes', 'box', 'boxes'],
    ['movies', 'movie', 'movies'],
    ['children', 'child', 'children'],
    ['keys', 'key', 'keys'],
    ['series', 'series', 'series'],
  ])('%s -> singular %s, plural %s', (input, singular, plural) => {
    const names = resourceNames(input);
    expect(names.singular.camel).toBe(singular);
    expect(names.plural.camel).toBe(plural);
  });

  it('changes only the last word of a compound name', () => {
    const names = resourceNames('blogCategories');
    expect(names.singular).toMatchObject({ camel: 'blogCategory', pascal: 'BlogCategory', kebab: 'blog-category' });
    expect(names.plural).toMatchObject({
      snake: 'blog_categories',
      constant: 'BLOG_CATEGORIES',
      words: 'blog categories',
    });
  });

  it('spells every case a template needs', () => {
    expect(spell('order_line_items')).toEqual({
      camel: 'orderLineItems',
      pascal: 'OrderLineItems',
      snake: 'order_line_items',
      kebab: 'order-line-items',
      constant: 'ORDER_LINE_ITEMS',
      words: 'order line items',
    });
    expect(spell('HTTPRequests').snake).toBe('http_requests');
    expect(resourceNames('posts').plural.constant).toBe('POSTS');
    expect(resourceNames('posts').singular.pascal).toBe('Post');
  });
});
