"""The admin site's names: the product's, not Django's."""

from django.contrib import admin

admin.site.site_header = "Entrypoints · admin"
admin.site.site_title = "Entrypoints admin"
admin.site.index_title = "Entrypoints administration"
admin.site.site_url = "/"  # "View site" goes to the front door
