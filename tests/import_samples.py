"""Small sources for the importers' end-to-end tests: one WordPress export, one Jekyll and one Hugo site."""

EXPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"
     xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">
<channel>
  <title>Old blog</title><link>https://old.example.com</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>https://old.example.com</wp:base_site_url>
  <wp:base_blog_url>https://old.example.com</wp:base_blog_url>
  <item>
    <title>Hello from WordPress</title>
    <link>https://old.example.com/2011/02/03/hello-world/</link>
    <dc:creator><![CDATA[admin]]></dc:creator>
    <content:encoded><![CDATA[First paragraph.

Second paragraph.]]></content:encoded>
    <excerpt:encoded><![CDATA[]]></excerpt:encoded>
    <wp:post_id>7</wp:post_id>
    <wp:post_date>2011-02-03 09:30:00</wp:post_date>
    <wp:post_date_gmt>2011-02-03 14:30:00</wp:post_date_gmt>
    <wp:comment_status>open</wp:comment_status>
    <wp:post_name>hello-world</wp:post_name>
    <wp:status>publish</wp:status>
    <wp:post_type>post</wp:post_type>
    <wp:post_password></wp:post_password>
    <category domain="post_tag" nicename="python"><![CDATA[Python]]></category>
    <wp:comment>
      <wp:comment_id>3</wp:comment_id>
      <wp:comment_author><![CDATA[Ann]]></wp:comment_author>
      <wp:comment_author_email>ann@example.com</wp:comment_author_email>
      <wp:comment_author_url></wp:comment_author_url>
      <wp:comment_author_IP>192.0.2.1</wp:comment_author_IP>
      <wp:comment_date>2011-02-04 10:00:00</wp:comment_date>
      <wp:comment_date_gmt>2011-02-04 15:00:00</wp:comment_date_gmt>
      <wp:comment_content><![CDATA[Nice post!]]></wp:comment_content>
      <wp:comment_approved>1</wp:comment_approved>
      <wp:comment_type>comment</wp:comment_type>
      <wp:comment_parent>0</wp:comment_parent>
    </wp:comment>
  </item>
</channel>
</rss>
"""


def jekyll_site(root):
    """A Jekyll site with one post, whose default permalink is /2012/03/04/old-jekyll.html."""
    (root / "_posts").mkdir(parents=True)
    (root / "_config.yml").write_text("title: Old Jekyll blog\n")
    (root / "_posts" / "2012-03-04-old-jekyll.md").write_text(
        "---\ntitle: Moved from Jekyll\ntags: [python, jekyll]\n---\nWritten with *Jekyll*.\n"
    )
    return root


def hugo_site(root):
    """A Hugo site with one post at /posts/hugo-post/, which also answered at /old/hugo/."""
    (root / "content" / "posts").mkdir(parents=True)
    (root / "hugo.toml").write_text('title = "Old Hugo blog"\n')
    (root / "content" / "posts" / "hugo-post.md").write_text(
        '+++\ntitle = "Moved from Hugo"\ndate = 2019-06-07T08:00:00Z\naliases = ["/old/hugo/"]\n+++\n'
        "Written with Hugo.\n"
    )
    return root
