// The web roots the common images ship, byte for byte: what `curl` gets from
// httpd and nginx and what `cat` shows inside their containers. One copy, read
// by the container runtime's exec and by the node tools' HTTP servers.

/** httpd:2.4's /usr/local/apache2/htdocs/index.html */
export const HTTPD_INDEX = "<html><body><h1>It works!</h1></body></html>\n";

/** nginx's /usr/share/nginx/html/index.html */
export const NGINX_INDEX = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;
