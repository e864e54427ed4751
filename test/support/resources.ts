/**
 * Three resources that together use every field type and modifier: posts reference users
 * (restrict), comments reference posts (cascade). The route tests generate them on
 * PostgreSQL, MySQL and SQLite, so each database is tried on the same service.
 */
export const RESOURCES = [
  ['users', 'email:email:unique name:string bio:text? website:url? age:integer?'],
  [
    'posts',
    'title:string:unique body:text? published:boolean=false status:enum(draft,published)=draft author:references(users) ' +
      'views:integer:index=0 score:number? price:decimal=9.99 big:bigint? publishedOn:date? publishedAt:datetime=now ' +
      'externalId:uuid:unique meta:json? reviewedAt:datetime?',
  ],
  [
    'comments',
    'post:references(posts):cascade body:text rating:integer:index=3 flagged:boolean=false trace:uuid=random',
  ],
] as const;
